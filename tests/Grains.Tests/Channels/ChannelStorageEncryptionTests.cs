using System.Text;
using Dagen.Grains.Channels;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.Infrastructure;
using Npgsql;

namespace Dagen.Grains.Tests.Channels;

/// <summary>
/// A silo process on PostgreSQL (ADO.NET clustering, storage and reminders) with a cluster and service id of its
/// own, restarted twice: once after a key rotation, once with the old key gone.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ChannelStorageEncryptionTests
{
    private const string WebhookUrl = "https://hooks.slack.com/services/T0TEST/B0PGTEST/Pg7Secret9Path";
    private const string BotToken = "xoxb-test-7777-8888-pgtoken";
    private const string SigningSecret = "5a5a5a5a0b0b0b0b1c1c1c1c2d2d2d2d";
    private const string RotatedKey = "cm90YXRlZC10ZXN0LWtleS0zMi1ieXRlcy1sb25nLi4=";

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    [PostgresFact]
    public async Task StoredRowsHoldNoSecretInClearAndStayReadableAcrossRestartsAndARotation()
    {
        await using var standIn = await LocalStandIn.StartAsync();
        var settings = new Dictionary<string, string>(standIn.SiloSettings)
        {
            ["Secrets__ActiveKeyId"] = "k1",
            ["Secrets__Keys__k1"] = TestSettings.Key,
        };
        await using var cluster = new PostgresCluster(settings);
        var channelId = Keys.New("ch-pg");
        var eventId = SlackRequests.NewEventId();
        var siloPort = FreePorts.Next();
        var gatewayPort = FreePorts.Next();

        var first = await cluster.StartSiloAsync("silo-k1", siloPort, gatewayPort);
        var grains = await cluster.ConnectClientAsync();
        var saved = await grains.GetGrain<INotificationChannelGrain>(channelId).SaveAsync(new ChannelSettings
        {
            Name = "Stored encrypted",
            WebhookUrl = WebhookUrl,
            BotToken = BotToken,
            SigningSecret = SigningSecret,
        }).WaitAsync(CallTimeout);
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Values));
        Assert.True(await grains.GetGrain<IEventDedupGrain>(eventId).HandleOnceAsync(Mention(eventId, channelId)));
        await PostgresCluster.StopGracefullyAsync(first);

        var rows = await ReadPayloadsAsync(cluster);
        var channelRow = Assert.Single(rows, r => r.Contains("Stored encrypted", StringComparison.Ordinal));
        var secrets = new[] { WebhookUrl, "Pg7Secret9Path", "B0PGTEST", BotToken, "pgtoken", SigningSecret };
        foreach (var secret in secrets)
        {
            Assert.All(rows, r => Assert.DoesNotContain(secret, r, StringComparison.Ordinal));
        }

        Assert.Equal(3, CountOf(channelRow, "v1:k1:"));
        Assert.Contains(rows, r => r.Contains(eventId, StringComparison.Ordinal));

        // Rotation: k2 seals from now on, k1 still opens what it sealed.
        settings["Secrets__ActiveKeyId"] = "k2";
        settings["Secrets__Keys__k2"] = RotatedKey;
        var rotated = await cluster.StartSiloAsync("silo-k2", siloPort, gatewayPort);
        grains = await cluster.ConnectClientAsync();
        var channel = grains.GetGrain<INotificationChannelGrain>(channelId);
        Assert.Equal(SigningSecret, await channel.GetSigningSecretAsync().WaitAsync(CallTimeout));
        Assert.Equal(BotToken, await channel.GetBotTokenAsync());
        Assert.Equal(WebhookUrl, await channel.GetWebhookUrlAsync());
        var dedup = grains.GetGrain<IEventDedupGrain>(eventId);
        Assert.False(await dedup.HandleOnceAsync(Mention(eventId, channelId)));
        Assert.Equal(2, (await dedup.GetRecordAsync())!.Copies);
        Assert.Contains(await grains.ListChannelsAsync(), c => c.Id == channelId);
        await PostgresCluster.StopGracefullyAsync(rotated);

        var resealed = Assert.Single(await ReadPayloadsAsync(cluster),
            r => r.Contains("Stored encrypted", StringComparison.Ordinal));
        Assert.Equal(3, CountOf(resealed, "v1:k2:"));
        Assert.Equal(0, CountOf(resealed, "v1:k1:"));

        // Retired: k1 is gone, and nothing needs it any more.
        settings.Remove("Secrets__Keys__k1");
        await cluster.StartSiloAsync("silo-k2-only", siloPort, gatewayPort);
        channel = (await cluster.ConnectClientAsync()).GetGrain<INotificationChannelGrain>(channelId);
        Assert.Equal(SigningSecret, await channel.GetSigningSecretAsync().WaitAsync(CallTimeout));
        Assert.Equal("https://hooks.slack.com/***", (await channel.GetAsync())!.WebhookUrl);
    }

    private static SlackMention Mention(string eventId, string channelId) => new()
    {
        EventId = eventId,
        ChannelId = channelId,
        TeamId = "T0TEST",
        UserId = "U0ALICE",
        SlackChannel = "C0GENERAL",
        Ts = "1764579600.000100",
        Text = "<@U0DAGEN> help",

        // Built the way the gateway builds it, with a collection expression.
        BotUserIds = [.. new[] { "U0DAGEN" }.Distinct()],
    };

    /// <summary>Every stored grain state of the cluster's service, as text, whichever serializer wrote it.</summary>
    private static async Task<List<string>> ReadPayloadsAsync(PostgresCluster cluster)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT payloadbinary FROM orleansstorage WHERE serviceid = @service AND payloadbinary IS NOT NULL",
            connection);
        command.Parameters.AddWithValue("service", cluster.ServiceId);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var bytes = (byte[])reader[0];
            rows.Add(Encoding.UTF8.GetString(bytes) + "\n" + Encoding.Unicode.GetString(bytes));
        }

        Assert.NotEmpty(rows);
        return rows;
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        var at = text.IndexOf(part, StringComparison.Ordinal);
        while (at >= 0)
        {
            count++;
            at = text.IndexOf(part, at + 1, StringComparison.Ordinal);
        }

        return count;
    }
}
