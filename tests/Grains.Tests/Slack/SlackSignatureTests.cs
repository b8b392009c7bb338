using System.Text;
using Dagen.Gateway.Slack;

namespace Dagen.Grains.Tests.Slack;

public sealed class SlackSignatureTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";

    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    // Slack's published example, from its "Verifying requests from Slack" page.
    private const string PublishedBody =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    [Fact]
    public void SlacksPublishedExampleComputesItsPublishedSignature()
    {
        var signature = SlackSignature.Compute(Secret, "1531420618", Encoding.UTF8.GetBytes(PublishedBody));

        Assert.Equal("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", signature);
    }

    [Fact]
    public void SlacksPublishedExampleVerifiesAtItsOwnTime()
    {
        var reason = SlackSignature.Verify(
            Secret,
            "1531420618",
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            Encoding.UTF8.GetBytes(PublishedBody),
            DateTimeOffset.FromUnixTimeSeconds(1531420618 + 10));

        Assert.Null(reason);
    }

    [Theory]
    [InlineData("text=a+b%20c")]
    [InlineData("{\"text\":\"Grüße, 東京 ✅ — naïve café\"}")]
    [InlineData("{\"text\":\"hello!'()* ~`@#$^&=[]{}|;:,.<>?\"}")]
    public void BodiesAreHashedAsTheBytesThatArrived(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = SlackSignature.Compute(Secret, timestamp, bytes);

        Assert.Null(SlackSignature.Verify(Secret, timestamp, signature, bytes, Now));
        var reEncoded = Encoding.UTF8.GetBytes(Uri.EscapeDataString(body));
        Assert.Equal("bad signature", SlackSignature.Verify(Secret, timestamp, signature, reEncoded, Now));
    }

    [Fact]
    public void PlusAndPercentTwentyAreDifferentBodies()
    {
        var timestamp = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var plus = SlackSignature.Compute(Secret, timestamp, Encoding.UTF8.GetBytes("text=a+b"));

        Assert.NotNull(SlackSignature.Verify(Secret, timestamp, plus, Encoding.UTF8.GetBytes("text=a%20b"), Now));
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    public void TimestampsMoreThanFiveMinutesAwayEitherWayAreRefused(int offsetSeconds, bool accepted)
    {
        var bytes = Encoding.UTF8.GetBytes("{}");
        var timestamp = (Now.ToUnixTimeSeconds() + offsetSeconds)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = SlackSignature.Compute(Secret, timestamp, bytes);

        var reason = SlackSignature.Verify(Secret, timestamp, signature, bytes, Now);

        if (accepted)
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.StartsWith("stale timestamp", reason);
        }
    }

    [Theory]
    [InlineData(null, "v0=00", "missing")]
    [InlineData("1764579600", null, "missing")]
    [InlineData("soon", "v0=00", "not a number")]
    [InlineData("1764579600", "v1=abc", "bad signature")]
    [InlineData("1764579600", "v0=zz", "bad signature")]
    public void MalformedHeadersAreRefusedWithTheReason(string? timestamp, string? signature, string expected)
    {
        var reason = SlackSignature.Verify(
            Secret, timestamp, signature, "{}"u8, DateTimeOffset.FromUnixTimeSeconds(1764579600));

        Assert.Contains(expected, reason);
    }

    [Fact]
    public void AnotherSecretsSignatureIsRefused()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"type\":\"event_callback\"}");
        var timestamp = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = SlackSignature.Compute("another0secret0of0the0same0size0", timestamp, bytes);

        Assert.Equal("bad signature", SlackSignature.Verify(Secret, timestamp, signature, bytes, Now));
    }
}
