using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dagen.EndToEnd.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Dagen.EndToEnd.Tests.StandIns;

/// <summary>The local Dagen serves the workflow API of dagen-api.md over the sample workflows.</summary>
public sealed class LocalDagenWorkflowTests
{
    private static readonly object SlackTrigger = new
    {
        trigger = new
        {
            source = "slack",
            teamId = "T0LOCAL",
            userId = "U0ALICE",
            channelId = "ch-1",
            threadTs = "1.000100",
        },
    };

    private static async Task<JsonElement> GetAsync(HttpClient client, string path) =>
        await client.GetFromJsonAsync<JsonElement>(path);

    [Fact]
    public async Task TheSampleWorkflowsAreListedWithTheirStatuses()
    {
        await using var dagen = await StandIn.DagenAsync();
        using var client = StandIn.Client(dagen.BaseUrl, StandIn.DagenToken);

        var answer = await GetAsync(client, "api/v1/workflows");
        var workflows = answer.GetProperty("workflows").EnumerateArray().ToList();

        var dailySync = workflows.Single(w => w.GetProperty("slug").GetString() == "daily-sync");
        Assert.Equal("Daily Sync", dailySync.GetProperty("name").GetString());
        Assert.Equal("active", dailySync.GetProperty("status").GetString());
        Assert.Contains(workflows, w => w.GetProperty("status").GetString() == "paused");
        Assert.Contains(workflows, w => w.GetProperty("status").GetString() == "draft");
        var similar = workflows.Count(
            w => w.GetProperty("name").GetString()!.StartsWith("Daily", StringComparison.Ordinal));
        Assert.True(similar >= 3, "The samples need several similar names to show how names are matched.");
        Assert.All(workflows, w => Assert.False(w.TryGetProperty("run", out _)));
    }

    [Fact]
    public async Task CallsWithoutTheBearerTokenAreRefused()
    {
        await using var dagen = await StandIn.DagenAsync();
        using var none = StandIn.Client(dagen.BaseUrl, null);
        using var wrong = StandIn.Client(dagen.BaseUrl, "not-the-token");

        using var missing = await none.GetAsync("api/v1/workflows");
        using var refused = await wrong.PostAsJsonAsync("api/v1/workflows/wf-0001-daily-sync/runs", SlackTrigger);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(dagen.Runs);
    }

    [Fact]
    public async Task ARunIsQueuedThenRunningThenSucceedsAsTheClockPasses()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var dagen = await StandIn.DagenAsync(clock);
        using var client = StandIn.Client(dagen.BaseUrl, StandIn.DagenToken);

        using var created = await client.PostAsJsonAsync("api/v1/workflows/wf-0001-daily-sync/runs", SlackTrigger);
        var started = await created.Content.ReadFromJsonAsync<JsonElement>();
        var runId = started.GetProperty("runId").GetString()!;
        var queued = await GetAsync(client, $"api/v1/runs/{runId}");
        clock.Advance(TimeSpan.FromSeconds(2));
        var running = await GetAsync(client, $"api/v1/runs/{runId}");
        clock.Advance(TimeSpan.FromSeconds(6));
        var done = await GetAsync(client, $"api/v1/runs/{runId}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("queued", started.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, queued.GetProperty("startedAt").ValueKind);
        Assert.Equal("running", running.GetProperty("status").GetString());
        Assert.Equal("2026-12-01T09:00:01.0000000Z", running.GetProperty("startedAt").GetString());
        Assert.Equal(JsonValueKind.Null, running.GetProperty("finishedAt").ValueKind);
        Assert.Equal("success", done.GetProperty("status").GetString());
        Assert.Equal("2026-12-01T09:00:07.0000000Z", done.GetProperty("finishedAt").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error").ValueKind);
        Assert.Equal("Daily Sync", done.GetProperty("workflowName").GetString());
        var trigger = Assert.Single(dagen.Runs).Trigger;
        Assert.Equal(("slack", "T0LOCAL", "U0ALICE", "ch-1", "1.000100"),
            (trigger.Source, trigger.TeamId, trigger.UserId, trigger.ChannelId, trigger.ThreadTs));
    }

    [Fact]
    public async Task TheFailingSampleEndsFailedWithItsError()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var dagen = await StandIn.DagenAsync(clock);
        using var client = StandIn.Client(dagen.BaseUrl, StandIn.DagenToken);

        using var created = await client.PostAsJsonAsync(
            "api/v1/workflows/wf-0004-revenue-to-bigquery/runs", SlackTrigger);
        var runId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString();
        clock.Advance(TimeSpan.FromMinutes(1));
        var run = await GetAsync(client, $"api/v1/runs/{runId}");

        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal("Connection timeout on BigQuery node", run.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AWorkflowThatIsNotActiveIsRefusedWith409UntilActivated()
    {
        await using var dagen = await StandIn.DagenAsync();
        using var client = StandIn.Client(dagen.BaseUrl, StandIn.DagenToken);

        const string backfill = "api/v1/workflows/wf-0002-daily-sync-backfill/runs";

        using var paused = await client.PostAsJsonAsync(backfill, SlackTrigger);
        using var draft = await client.PostAsJsonAsync("api/v1/workflows/wf-0006-customer-360/runs", SlackTrigger);
        dagen.SetWorkflowStatus("wf-0002-daily-sync-backfill", "active");
        using var activated = await client.PostAsJsonAsync(backfill, SlackTrigger);

        Assert.Equal(HttpStatusCode.Conflict, paused.StatusCode);
        var reason = (await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.Contains("paused", reason, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, draft.StatusCode);
        Assert.Equal(HttpStatusCode.Created, activated.StatusCode);
        Assert.Single(dagen.Runs);
    }

    [Fact]
    public async Task UnknownRunsAndWorkflowsAre404AndABadTriggerIs400()
    {
        await using var dagen = await StandIn.DagenAsync();
        using var client = StandIn.Client(dagen.BaseUrl, StandIn.DagenToken);

        using var noRun = await client.GetAsync("api/v1/runs/0123456789abcdef");
        using var noWorkflow = await client.PostAsJsonAsync("api/v1/workflows/wf-nope/runs", SlackTrigger);
        using var noTrigger = await client.PostAsJsonAsync(
            "api/v1/workflows/wf-0001-daily-sync/runs", new { source = "slack" });

        Assert.Equal(HttpStatusCode.NotFound, noRun.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noWorkflow.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noTrigger.StatusCode);
        var reason = (await noTrigger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.Contains("trigger", reason, StringComparison.Ordinal);
        Assert.Empty(dagen.Runs);
    }

    [Fact]
    public async Task RecentRunsComeNewestFirstUpToTheLimit()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var dagen = await StandIn.DagenAsync(clock);
        using var client = StandIn.Client(dagen.BaseUrl, StandIn.DagenToken);
        var ids = new List<string>();
        string[] workflows = ["wf-0001-daily-sync", "wf-0003-daily-sales-rollup", "wf-0004-revenue-to-bigquery"];
        foreach (var workflow in workflows)
        {
            using var created = await client.PostAsJsonAsync($"api/v1/workflows/{workflow}/runs", SlackTrigger);
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var runs = (await GetAsync(client, "api/v1/runs?limit=2")).GetProperty("runs").EnumerateArray().ToList();
        using var tooMany = await client.GetAsync("api/v1/runs?limit=1000");

        Assert.Equal([ids[2], ids[1]], runs.Select(r => r.GetProperty("runId").GetString()));
        Assert.Equal("Revenue to BigQuery", runs[0].GetProperty("workflowName").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }
}
