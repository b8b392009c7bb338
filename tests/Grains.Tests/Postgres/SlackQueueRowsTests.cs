using Dagen.Grains.Channels;
using Dagen.Grains.Slack;
using Dagen.Grains.Tests.Infrastructure;
using Dagen.Grains.Tests.StandIns;
using Npgsql;

namespace Dagen.Grains.Tests.Postgres;

/// <summary>
/// On PostgreSQL each queued Slack call is a row of its own: it survives a silo restart, and once the call is made
/// its row is deleted, not left behind empty.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class SlackQueueRowsTests
{
    private const string SlackChannel = "C0QUEUEROWS";
    private const string ThreadTs = "1700000000.000100";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [PostgresFact]
    public async Task AReplyWaitingOutARateLimitIsSentAfterASiloRestartAndLeavesNoRowBehind()
    {
        await using var cluster = new PostgresCluster();
        var (siloPort, gatewayPort) = (FreePorts.Next(), FreePorts.Next());
        var silo = await cluster.StartSiloAsync("silo", siloPort, gatewayPort);
        var client = await cluster.ConnectClientAsync();
        var slack = (await cluster.BackendsAsync()).Slack;
        var channelId = await NewChannelAsync(client);
        slack.Script("chat.postMessage", SlackChannel, StandInAnswer.RateLimited(retryAfterSeconds: 5));

        var queue = client.GetGrain<ISlackChannelQueueGrain>(SlackChannelQueueKey.For(channelId, SlackChannel));
        await queue.EnqueueMessagesAsync(ThreadTs, ["first part", "second part"]);
        Assert.True(await StandInServer.WaitUntilAsync(() => slack.CallsTo(SlackChannel).Count == 1));
        Assert.Equal(2, await CountCallRowsAsync(cluster));

        await PostgresCluster.StopGracefullyAsync(silo);
        await cluster.StartSiloAsync("silo-again", siloPort, gatewayPort);
        client = await cluster.ConnectClientAsync();
        queue = client.GetGrain<ISlackChannelQueueGrain>(SlackChannelQueueKey.For(channelId, SlackChannel));

        Assert.Equal(2, (await queue.GetStatusAsync()).Queued);
        Assert.True(await StandInServer.WaitUntilAsync(
            () => slack.CallsTo(SlackChannel).Count == 3, TimeSpan.FromSeconds(30)));
        Assert.Equal(
            ["first part", "first part", "second part"], slack.CallsTo(SlackChannel).Select(call => call.Text));
        Assert.Equal(0, await Eventually.Get(() => CountCallRowsAsync(cluster), rows => rows == 0, Wait));
    }

    private static async Task<string> NewChannelAsync(IClusterClient client)
    {
        var channelId = Keys.New("rows");
        var saved = await client.GetGrain<INotificationChannelGrain>(channelId).SaveAsync(new ChannelSettings
        {
            Name = "Queue rows",
            BotToken = "xoxb-test-rows-0001",
            SigningSecret = "test0signing0secret0rows01",
        });
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Select(e => $"{e.Key}: {e.Value}")));
        return channelId;
    }

    /// <summary>Rows of queued calls in this cluster's service, whatever their payload.</summary>
    private static async Task<long> CountCallRowsAsync(PostgresCluster cluster)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleansstorage WHERE serviceid = @service AND graintypestring LIKE 'queue-call-%'",
            connection);
        command.Parameters.AddWithValue("service", cluster.ServiceId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
