using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dagen.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Checks a request the way the gateway must, written here on its own so that the stand-in's signer is not
/// checked against itself: v0 HMAC-SHA256 over <c>v0:{timestamp}:{raw body}</c>, a fresh timestamp.
/// </summary>
public static class SlackRequestCheck
{
    public static void AssertSignedBy(string signingSecret, ReceivedRequest request, DateTimeOffset now)
    {
        var timestamp = request.Header("X-Slack-Request-Timestamp");
        var signature = request.Header("X-Slack-Signature");
        Assert.False(string.IsNullOrEmpty(timestamp), "X-Slack-Request-Timestamp is missing.");
        Assert.False(string.IsNullOrEmpty(signature), "X-Slack-Signature is missing.");

        var age = now - DateTimeOffset.FromUnixTimeSeconds(long.Parse(timestamp, CultureInfo.InvariantCulture));
        Assert.True(age.Duration() < TimeSpan.FromMinutes(5), $"The timestamp is {age} away from now.");

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(signingSecret));
        var signed = Encoding.UTF8.GetBytes($"v0:{timestamp}:").Concat(request.Body).ToArray();
        var hex = hmac.ComputeHash(signed).Select(b => b.ToString("x2", CultureInfo.InvariantCulture));
        var expected = "v0=" + string.Concat(hex);
        Assert.Equal(expected, signature);
    }
}
