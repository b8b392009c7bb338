using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dagen.StandIns.Slack;

/// <summary>
/// Slack's request signature, version 0: <c>v0=</c> and the lowercase hex of HMAC-SHA256 with the signing
/// secret over <c>v0:{timestamp}:{raw body}</c>.
/// </summary>
public static class SlackSignature
{
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    public const string SignatureHeader = "X-Slack-Signature";

    public static string Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingSecret);
        ArgumentException.ThrowIfNullOrEmpty(timestamp);

        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));

        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), signed);
        return "v0=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>Slack's timestamp header value for <paramref name="at"/>: whole Unix seconds.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
