using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dagen.Gateway.Slack;

/// <summary>
/// Slack's request signature: <c>v0=</c> and the lowercase hex HMAC-SHA256, under the app's signing secret, of
/// <c>v0:{timestamp}:{raw body}</c>. Always over the bytes as received, never a re-encoded body.
/// </summary>
public static class SlackSignature
{
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public const string SignatureHeader = "X-Slack-Signature";

    private const string Prefix = "v0=";
    private const int HashSize = 32;

    /// <summary>Computes the signature header value Slack would send.</summary>
    public static string Compute(string signingSecret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(signingSecret);
        ArgumentNullException.ThrowIfNull(timestamp);
        Span<byte> hash = stackalloc byte[HashSize];
        Hash(signingSecret, timestamp, body, hash);
        return Prefix + Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Checks a request. Returns null when it is genuine and fresh, else the reason it is not, fit for a log line
    /// (it never holds the secret, the signature or the body).
    /// </summary>
    public static string? Verify(
        string signingSecret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(signingSecret);
        if (CheckTimestamp(timestamp, signature, now) is { } problem)
        {
            return problem;
        }

        Span<byte> sent = stackalloc byte[HashSize];
        if (!TryReadSignature(signature!, sent))
        {
            return "bad signature (not a v0 signature)";
        }

        Span<byte> expected = stackalloc byte[HashSize];
        Hash(signingSecret, timestamp!, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, sent) ? null : "bad signature";
    }

    /// <summary>
    /// The checks that need no secret: both headers there, and the timestamp a number within 300 s of now either
    /// way. Null when they pass.
    /// </summary>
    public static string? CheckTimestamp(string? timestamp, string? signature, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return $"missing {TimestampHeader} or {SignatureHeader} header";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return "timestamp is not a number of seconds";
        }

        Span<byte> shape = stackalloc byte[HashSize];
        if (!TryReadSignature(signature, shape))
        {
            return "bad signature (not a v0 signature)";
        }

        var skew = now.ToUnixTimeSeconds() - seconds;
        var window = (long)Hosting.GatewayOptions.SignatureWindow.TotalSeconds;
        if (skew > window || skew < -window)
        {
            return $"stale timestamp ({skew} s from now; {window} s allowed either way)";
        }

        return null;
    }

    private static void Hash(string signingSecret, string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(signingSecret));
        hmac.AppendData(Encoding.ASCII.GetBytes($"v0:{timestamp}:"));
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }

    /// <summary>Reads <c>v0=</c> and 64 hex digits into <paramref name="hash"/>; false for any other shape.</summary>
    private static bool TryReadSignature(string signature, Span<byte> hash) =>
        signature.StartsWith(Prefix, StringComparison.Ordinal)
        && signature.Length == Prefix.Length + 2 * HashSize
        && Convert.FromHexString(signature.AsSpan(Prefix.Length), hash, out _, out var written)
            == System.Buffers.OperationStatus.Done
        && written == HashSize;
}
