using System.Security.Cryptography;
using System.Text;

namespace Dagen.StandIns.Dagen;

/// <summary>Checks <c>Authorization: Bearer</c> against the stand-in's token, in constant time.</summary>
internal static class BearerCheck
{
    public static bool IsAuthorized(HttpRequest request, string expectedToken)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(expectedToken));
    }
}
