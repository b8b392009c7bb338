using System.Text;
using Dagen.Grains.Channels;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.Infrastructure;
using Dagen.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Dagen.Grains.Tests.Channels;

/// <summary>
/// A silo process on PostgreSQL (ADO.NET clustering, storage and reminders), with its own ServiceId and ClusterId,
/// restarted twice: once after a key rotation, once with the old key gone.
/// </summary>
public sealed class ChannelStorageEncryptionTests
{
    private const string WebhookUrl = "https://hooks.slack.com/services/T0TEST/B0PGTEST/Pg7Secret9Path";
    private const string BotToken = "xoxb-test-7777-8888-pgtoken";
    private const string SigningSecret = "5a5a5a5a0b0b0b0b1c1c1c1c2d2d2d2d";
    private const string RotatedKey = "cm90YXRlZC10ZXN0LWtleS0zMi1ieXRlcy1sb25nLi4=";

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [PostgresFact]
    public async Task StoredRowsHoldNoSecretInClearAndStayReadableAcrossRestartsAndARotation()
    {
        var connectionString = PostgresFactAttribute.ConnectionString!;
        var clusterId = $"dagen-test-{Guid.NewGuid():N}"[..24];
        var channelId = Keys.New("ch-pg");
        var eventId = SlackRequests.NewEventId();
        await using var standIn = await LocalStandIn.StartAsync();
        var siloPort = ProductProcess.FreePort();
        var gatewayPort = ProductProcess.FreePort();

        try
        {
            await using (var first = await StartSiloAsync(connectionString, clusterId, siloPort, gatewayPort, standIn,
                ProcessCluster.KeyRing("k1", ("k1", TestSettings.Key))))
            {
                using var client = await ConnectAsync(connectionString, clusterId, gatewayPort);
                var grains = client.Services.GetRequiredService<IClusterClient>();
                var saved = await grains.GetGrain<INotificationChannelGrain>(channelId).SaveAsync(new ChannelSettings
                {
                    Name = "Stored encrypted",
                    WebhookUrl = WebhookUrl,
                    BotToken = BotToken,
                    SigningSecret = SigningSecret,
                }).WaitAsync(CallTimeout);
                Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Values));
                var dedup = grains.GetGrain<IEventDedupGrain>(eventId);
                Assert.True(await dedup.HandleOnceAsync(Mention(eventId, channelId)));
                await client.StopAsync();
            }

            var rows = await ReadPayloadsAsync(connectionString, clusterId);
            var channelRow = Assert.Single(rows, r => r.Contains("Stored encrypted", StringComparison.Ordinal));
            var secrets = new[] { WebhookUrl, "Pg7Secret9Path", "B0PGTEST", BotToken, "pgtoken", SigningSecret };
            foreach (var secret in secrets)
            {
                Assert.All(rows, r => Assert.DoesNotContain(secret, r, StringComparison.Ordinal));
            }

            Assert.Equal(3, CountOf(channelRow, "v1:k1:"));
            Assert.Contains(rows, r => r.Contains(channelId, StringComparison.Ordinal) && !r.Contains("Stored"));

            await using (var rotated = await StartSiloAsync(connectionString, clusterId, siloPort, gatewayPort, standIn,
                ProcessCluster.KeyRing("k2", ("k1", TestSettings.Key), ("k2", RotatedKey))))
            {
                using var client = await ConnectAsync(connectionString, clusterId, gatewayPort);
                var grains = client.Services.GetRequiredService<IClusterClient>();
                var channel = grains.GetGrain<INotificationChannelGrain>(channelId);
                Assert.Equal(SigningSecret, await channel.GetSigningSecretAsync().WaitAsync(CallTimeout));
                Assert.Equal(BotToken, await channel.GetBotTokenAsync());
                Assert.Equal(WebhookUrl, await channel.GetWebhookUrlAsync());
                var dedup = grains.GetGrain<IEventDedupGrain>(eventId);
                Assert.False(await dedup.HandleOnceAsync(Mention(eventId, channelId)));
                Assert.Equal(2, (await dedup.GetRecordAsync())!.Copies);
                await client.StopAsync();
            }

            var resealed = Assert.Single(await ReadPayloadsAsync(connectionString, clusterId),
                r => r.Contains("Stored encrypted", StringComparison.Ordinal));
            Assert.Equal(3, CountOf(resealed, "v1:k2:"));
            Assert.Equal(0, CountOf(resealed, "v1:k1:"));

            await using (var retired = await StartSiloAsync(connectionString, clusterId, siloPort, gatewayPort, standIn,
                ProcessCluster.KeyRing("k2", ("k2", RotatedKey))))
            {
                using var client = await ConnectAsync(connectionString, clusterId, gatewayPort);
                var channel = client.Services.GetRequiredService<IClusterClient>()
                    .GetGrain<INotificationChannelGrain>(channelId);
                Assert.Equal(SigningSecret, await channel.GetSigningSecretAsync().WaitAsync(CallTimeout));
                Assert.Equal("https://hooks.slack.com/***", (await channel.GetAsync())!.WebhookUrl);
                await client.StopAsync();
            }
        }
        finally
        {
            await DeleteClusterAsync(connectionString, clusterId);
        }
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
    };

    private static Task<ProductProcess> StartSiloAsync(
        string connectionString, string clusterId, int siloPort, int gatewayPort, LocalStandIn standIn,
        Dictionary<string, string> keyRing)
    {
        keyRing["Orleans__Clustering"] = "AdoNet";
        keyRing["ConnectionStrings__Orleans"] = connectionString;
        keyRing["Orleans__ClusterId"] = clusterId;
        keyRing["Orleans__ServiceId"] = clusterId;
        return ProcessCluster.StartSiloAsync(siloPort, gatewayPort, standIn, keyRing);
    }

    private static async Task<IHost> ConnectAsync(string connectionString, string clusterId, int gatewayPort)
    {
        var settings = new ClusterSettings
        {
            Clustering = ClusteringMode.AdoNet,
            ClusterId = clusterId,
            ServiceId = clusterId,
            GatewayPort = gatewayPort,
            ConnectionString = connectionString,
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client.UseDagenCluster(settings));
        var host = builder.Build();
        await host.StartAsync().WaitAsync(CallTimeout);
        return host;
    }

    /// <summary>Every stored grain state of this cluster, as text (Orleans writes strings as UTF-8).</summary>
    private static async Task<List<string>> ReadPayloadsAsync(string connectionString, string serviceId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT payloadbinary FROM orleansstorage WHERE serviceid = @service AND payloadbinary IS NOT NULL",
            connection);
        command.Parameters.AddWithValue("service", serviceId);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var bytes = (byte[])reader[0];
            rows.Add(Encoding.UTF8.GetString(bytes) + Encoding.Unicode.GetString(bytes));
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

    private static async Task DeleteClusterAsync(string connectionString, string clusterId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            "DELETE FROM orleansstorage WHERE serviceid = @id",
            "DELETE FROM orleansreminderstable WHERE serviceid = @id",
            "DELETE FROM orleansmembershiptable WHERE deploymentid = @id",
            "DELETE FROM orleansmembershipversiontable WHERE deploymentid = @id",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("id", clusterId);
            await command.ExecuteNonQueryAsync();
        }
    }
}
