using System.Security.Cryptography;
using System.Text;
using Dagen.Gateway.Hosting;
using Microsoft.Extensions.Options;

namespace Dagen.Gateway.Channels;

/// <summary>
/// Lets a settings API request through only with <c>Authorization: Bearer &lt;Gateway:AdminToken&gt;</c>. The
/// comparison is over SHA-256 digests in constant time, so neither the token's content nor its length leaks
/// through timing.
/// </summary>
public sealed partial class AdminTokenFilter(IOptions<GatewayOptions> options, ILogger<AdminTokenFilter> logger)
    : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    private readonly byte[] _expected = Digest(options.Value.AdminToken?.Trim() ?? "");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var sent = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : "";

        if (_expected.Length == 0
            || sent.Length == 0
            || !CryptographicOperations.FixedTimeEquals(Digest(sent), _expected))
        {
            LogRefused(http.Request.Method, http.Request.Path, sent.Length == 0 ? "no bearer token" : "wrong token");
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(
                title: "Unauthorized",
                detail: "Send the settings API token as Authorization: Bearer <Gateway:AdminToken>.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        return await next(context);
    }

    private static byte[] Digest(string token) =>
        token.Length == 0 ? [] : SHA256.HashData(Encoding.UTF8.GetBytes(token));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settings API refused {Method} {Path}: {Reason}")]
    private partial void LogRefused(string method, string path, string reason);
}
