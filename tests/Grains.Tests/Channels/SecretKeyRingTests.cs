using Dagen.Grains.Secrets;
using Dagen.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Dagen.Grains.Tests.Channels;

public sealed class SecretKeyRingTests
{
    private const string OtherKey = "b3RoZXItdGVzdC1rZXktMzItYnl0ZXMtbG9uZy4uLi4=";

    private static SecretKeyRing Ring(string active, params (string Id, string Key)[] keys)
    {
        var options = new SecretsOptions { ActiveKeyId = active };
        foreach (var (id, key) in keys)
        {
            options.Keys[id] = key;
        }

        return new SecretKeyRing(Options.Create(options));
    }

    [Fact]
    public void ASealedValueOpensAndDoesNotHoldThePlaintext()
    {
        var ring = Ring(TestSettings.KeyId, (TestSettings.KeyId, TestSettings.Key));

        var sealedValue = ring.Seal("xoxb-test-1234-abcd", "channel/ch-a/botToken");

        Assert.StartsWith($"v1:{TestSettings.KeyId}:", sealedValue);
        Assert.DoesNotContain("xoxb", sealedValue);
        Assert.Equal("xoxb-test-1234-abcd", ring.Open(sealedValue, "channel/ch-a/botToken"));
    }

    [Fact]
    public void SealingTwiceGivesDifferentValues()
    {
        var ring = Ring(TestSettings.KeyId, (TestSettings.KeyId, TestSettings.Key));

        Assert.NotEqual(ring.Seal("same", "p"), ring.Seal("same", "p"));
    }

    [Fact]
    public void AValueMovedToAnotherChannelOrFieldDoesNotOpen()
    {
        var ring = Ring(TestSettings.KeyId, (TestSettings.KeyId, TestSettings.Key));
        var sealedValue = ring.Seal("xoxb-test-1234-abcd", "channel/ch-a/botToken");

        Assert.Throws<SecretUnavailableException>(() => ring.Open(sealedValue, "channel/ch-b/botToken"));
        Assert.Throws<SecretUnavailableException>(() => ring.Open(sealedValue, "channel/ch-a/signingSecret"));
    }

    [Fact]
    public void ValuesSealedBeforeARotationStillOpen()
    {
        var before = Ring("k1", ("k1", TestSettings.Key));
        var sealedValue = before.Seal("https://hooks.slack.com/services/T0TEST/B0TEST/abc", "p");

        var after = Ring("k2", ("k1", TestSettings.Key), ("k2", OtherKey));

        Assert.Equal("https://hooks.slack.com/services/T0TEST/B0TEST/abc", after.Open(sealedValue, "p"));
        Assert.StartsWith("v1:k2:", after.Seal("x", "p"));
    }

    [Fact]
    public void AValueWhoseKeyIsGoneSaysWhichKeyToPutBack()
    {
        var before = Ring("k1", ("k1", TestSettings.Key));
        var sealedValue = before.Seal("secret-value-123", "p");
        var after = Ring("k2", ("k2", OtherKey));

        var error = Assert.Throws<SecretUnavailableException>(() => after.Open(sealedValue, "p"));

        Assert.Contains("Secrets:Keys:k1", error.Message);
        Assert.DoesNotContain("secret-value-123", error.Message);
    }

    [Fact]
    public void AnAlteredValueDoesNotOpen()
    {
        var ring = Ring(TestSettings.KeyId, (TestSettings.KeyId, TestSettings.Key));
        var sealedValue = ring.Seal("xoxb-test-1234-abcd", "p");
        var bytes = Convert.FromBase64String(sealedValue.Split(':')[2]);
        bytes[^1] ^= 1;

        Assert.Throws<SecretUnavailableException>(
            () => ring.Open($"v1:{TestSettings.KeyId}:{Convert.ToBase64String(bytes)}", "p"));
    }

    [Theory]
    [InlineData(null, null, "Secrets:ActiveKeyId is not set")]
    [InlineData("k1", null, "Secrets:Keys:k1 is not set")]
    [InlineData("k1", "c2hvcnQ=", "not the base64 of 32 bytes")]
    [InlineData("k1", "not base64 at all!", "not the base64 of 32 bytes")]
    public void AMissingOrMalformedKeyIsRefusedWithHowToCreateOne(string? active, string? key, string expected)
    {
        var options = new SecretsOptions { ActiveKeyId = active };
        if (key is not null)
        {
            options.Keys[active!] = key;
        }

        var result = new SecretsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage);
        Assert.Contains("openssl rand -base64 32", result.FailureMessage);
    }

    [Fact]
    public void AKeyIdThatCannotBeStoredBesideAValueIsRefused()
    {
        var options = new SecretsOptions { ActiveKeyId = "k:1" };
        options.Keys["k:1"] = TestSettings.Key;

        var result = new SecretsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("not a valid key id", result.FailureMessage);
    }
}
