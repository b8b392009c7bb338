namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>Settings every test silo reads: a test key ring, loopback webhooks, quick dedup expiry checks.</summary>
public static class TestSettings
{
    public const string KeyId = "test";

    public const string Key = TestSecrets.Key;

    public static IEnumerable<KeyValuePair<string, string?>> Silo { get; } =
    [
        new("Secrets:ActiveKeyId", KeyId),
        new($"Secrets:Keys:{KeyId}", Key),
        new("Gateway:WebhookHosts:0", "hooks.slack.com"),
        new("Gateway:WebhookHosts:1", "127.0.0.1"),
        new("EventDedup:CheckPeriod", "00:00:01"),
        new("EventDedup:HandOffRetryDelay", "00:00:05"),
    ];
}
