using System.Text.Json;
using Dagen.Grains.Dagen;
using Dagen.Grains.Hosting;
using Dagen.Grains.Tests.StandIns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Dagen.Grains.Tests.Dagen;

/// <summary>The Dagen client against a Dagen stand-in of its own per test, with short retry delays.</summary>
public sealed class DagenClientTests : IAsyncLifetime
{
    private DagenStandIn _dagen = null!;
    private ServiceProvider _services = null!;

    private IDagenClient Client => _services.GetRequiredService<IDagenClient>();

    public async Task InitializeAsync()
    {
        _dagen = await DagenStandIn.StartAsync(TimeProvider.System);
        _services = Services(_dagen.BaseUrl.ToString());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _dagen.DisposeAsync();
    }

    [Fact]
    public async Task WorkflowsAreListedWithTheBearerTokenAndUnknownFieldsIgnored()
    {
        _dagen.AddWorkflow(new StandInWorkflow("wf-1", "Daily Sync", "daily-sync", "active"));
        _dagen.AddWorkflow(new StandInWorkflow("wf-2", "Backfill", "backfill", "paused"));

        var workflows = await Client.ListWorkflowsAsync();

        Assert.Equal(
            [new DagenWorkflow("wf-2", "Backfill", "backfill", "paused"),
                new DagenWorkflow("wf-1", "Daily Sync", "daily-sync", "active")],
            workflows);
        Assert.Equal("Bearer dagen-test-token", Assert.Single(_dagen.Calls).Authorization);
    }

    [Fact]
    public async Task StartingARunSendsTheSlackTriggerAndReturnsTheRunId()
    {
        _dagen.AddWorkflow(new StandInWorkflow("wf-7", "Daily Sync", "daily-sync", "active"));
        var trigger = new RunTrigger("T0TEST", "U0ALICE", "C0DATA", "1700.0001");

        var outcome = await Client.TriggerRunAsync("wf-7", trigger);

        Assert.True(outcome.Started);
        Assert.Equal("queued", outcome.Status);
        Assert.NotNull(_dagen.Run(outcome.RunId!));
        var call = Assert.Single(_dagen.CallsTo("/api/v1/workflows/wf-7/runs"));
        Assert.Equal("POST", call.Method);
        using var body = JsonDocument.Parse(call.Body);
        var sent = body.RootElement.GetProperty("trigger");
        Assert.Equal("slack", sent.GetProperty("source").GetString());
        Assert.Equal("T0TEST", sent.GetProperty("teamId").GetString());
        Assert.Equal("U0ALICE", sent.GetProperty("userId").GetString());
        Assert.Equal("C0DATA", sent.GetProperty("channelId").GetString());
        Assert.Equal("1700.0001", sent.GetProperty("threadTs").GetString());
    }

    [Fact]
    public async Task StartingAWorkflowThatIsNotActiveIsRefusedWithDagensReason()
    {
        _dagen.AddWorkflow(new StandInWorkflow("wf-3", "Backfill", "backfill", "paused"));

        var outcome = await Client.TriggerRunAsync("wf-3", new RunTrigger("T0TEST", "U0ALICE", "C0DATA", "1.1"));

        Assert.False(outcome.Started);
        Assert.Equal("Workflow 'Backfill' is paused", outcome.RefusedBecause);
    }

    [Fact]
    public async Task ARunIsReadWithItsTimesAndAnUnknownRunIsNull()
    {
        var started = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        _dagen.SetRun(new StandInRun(
            "a3f2b1c9d0", "wf-1", "Daily Sync", "failed", started, started.AddSeconds(18), "Connection timeout"));

        var run = await Client.GetRunAsync("a3f2b1c9d0");
        var unknown = await Client.GetRunAsync("no-such-run");

        Assert.NotNull(run);
        Assert.Equal(("failed", started, started.AddSeconds(18)), (run.Status, run.StartedAt, run.FinishedAt));
        Assert.Equal("Connection timeout", run.Error);
        Assert.True(run.IsFinal);
        Assert.Null(unknown);
    }

    [Fact]
    public async Task RecentRunsComeNewestFirstUpToTheLimit()
    {
        var start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            _dagen.SetRun(new StandInRun($"run-{i}", "wf-1", "Daily Sync", "success", start.AddMinutes(i)));
        }

        var runs = await Client.ListRunsAsync(3);

        Assert.Equal(["run-4", "run-3", "run-2"], runs.Select(run => run.RunId));
        Assert.Equal("/api/v1/runs?limit=3", Assert.Single(_dagen.Calls).PathAndQuery);
    }

    [Fact]
    public async Task MissingOptionalFieldsAndNumericIdsAreAccepted()
    {
        _dagen.Script("/api/v1/workflows", StandInAnswer.Json(200, """{"workflows":[{"id":42,"slug":"nightly"}]}"""));
        _dagen.Script(
            "/api/v1/runs/r1", StandInAnswer.Json(200, """{"runId":"r1","status":"running","startedAt":null}"""));

        var workflow = Assert.Single(await Client.ListWorkflowsAsync());
        var run = await Client.GetRunAsync("r1");

        Assert.Equal(new DagenWorkflow("42", "nightly", "nightly", ""), workflow);
        Assert.NotNull(run);
        Assert.Null(run.StartedAt);
        Assert.False(run.IsFinal);
    }

    [Fact]
    public async Task ServerErrorsAndRateLimitsAreRetriedUntilDagenAnswers()
    {
        _dagen.AddWorkflow(new StandInWorkflow("wf-1", "Daily Sync", "daily-sync", "active"));
        _dagen.Script(
            "/api/v1/workflows",
            StandInAnswer.Failure(503),
            StandInAnswer.RateLimited(retryAfterSeconds: 0, body: "{}"),
            StandInAnswer.Failure(502));

        var workflows = await Client.ListWorkflowsAsync();

        Assert.Single(workflows);
        Assert.Equal(4, _dagen.CallsTo("/api/v1/workflows").Count);
    }

    [Fact]
    public async Task APersistentFailureEndsInAMessageFitForAPerson()
    {
        _dagen.Script("/api/v1/runs", Enumerable.Repeat(StandInAnswer.Failure(500), 4).ToArray());

        var error = await Assert.ThrowsAsync<DagenUnavailableException>(() => Client.ListRunsAsync(10));

        Assert.Equal(
            "Dagen is having trouble (HTTP 500) and could not list the recent runs. Please try again in a few minutes.",
            error.Message);
        Assert.Equal(4, _dagen.Calls.Count);
    }

    [Fact]
    public async Task StartingARunIsNotRepeatedAfterAnAmbiguousServerError()
    {
        _dagen.AddWorkflow(new StandInWorkflow("wf-9", "Daily Sync", "daily-sync", "active"));
        _dagen.Script("/api/v1/workflows/wf-9/runs", StandInAnswer.Failure(500));

        await Assert.ThrowsAsync<DagenUnavailableException>(
            () => Client.TriggerRunAsync("wf-9", new RunTrigger("T0TEST", "U0ALICE", "C0DATA", "1.1")));

        Assert.Single(_dagen.CallsTo("/api/v1/workflows/wf-9/runs"));
    }

    [Fact]
    public async Task StartingARunIsRetriedWhenDagenSaysItIsUnavailable()
    {
        _dagen.AddWorkflow(new StandInWorkflow("wf-8", "Daily Sync", "daily-sync", "active"));
        _dagen.Script("/api/v1/workflows/wf-8/runs", StandInAnswer.Failure(503));

        var outcome = await Client.TriggerRunAsync("wf-8", new RunTrigger("T0TEST", "U0ALICE", "C0DATA", "1.1"));

        Assert.True(outcome.Started);
        Assert.Equal(2, _dagen.CallsTo("/api/v1/workflows/wf-8/runs").Count);
    }

    [Fact]
    public async Task ASlowDagenIsGivenUpOnAfterTheTimeOuts()
    {
        _dagen.Script("/api/v1/workflows", [.. Enumerable.Repeat(StandInAnswer.Slow(TimeSpan.FromSeconds(2)), 4)]);
        await using var impatient = Services(_dagen.BaseUrl.ToString(), attemptTimeout: "00:00:00.300");

        var error = await Assert.ThrowsAsync<DagenUnavailableException>(
            () => impatient.GetRequiredService<IDagenClient>().ListWorkflowsAsync());

        Assert.Contains("did not answer in time", error.Message);
        Assert.Equal(4, _dagen.Calls.Count);
    }

    [Fact]
    public async Task AnUnreachableDagenEndsInAMessageFitForAPerson()
    {
        var gone = await DagenStandIn.StartAsync(TimeProvider.System);
        var url = gone.BaseUrl.ToString();
        await gone.DisposeAsync();
        await using var services = Services(url);

        var error = await Assert.ThrowsAsync<DagenUnavailableException>(
            () => services.GetRequiredService<IDagenClient>().ListWorkflowsAsync());

        Assert.Equal(
            "Dagen cannot be reached right now to list the workflows. Please try again in a few minutes.",
            error.Message);
    }

    [Fact]
    public async Task RetriesRunOnRealTimeWhateverClockTheSiloHas()
    {
        _dagen.Script("/api/v1/workflows", StandInAnswer.Failure(503));
        await using var frozen = Services(_dagen.BaseUrl.ToString(), clock: new FakeTimeProvider());

        var workflows = await frozen.GetRequiredService<IDagenClient>().ListWorkflowsAsync()
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Empty(workflows);
        Assert.Equal(2, _dagen.Calls.Count);
    }

    [Theory]
    [InlineData(401, "credentials")]
    [InlineData(403, "credentials")]
    [InlineData(400, "turned down")]
    public async Task ARefusalIsNotRetriedAndSaysWhatHappened(int status, string words)
    {
        _dagen.Script("/api/v1/workflows", StandInAnswer.Json(status, """{"error":"nope"}"""));

        var error = await Assert.ThrowsAsync<DagenUnavailableException>(() => Client.ListWorkflowsAsync());

        Assert.Contains(words, error.Message);
        Assert.Single(_dagen.Calls);
    }

    [Fact]
    public async Task AnAnswerThatIsNotJsonIsReportedPlainly()
    {
        _dagen.Script("/api/v1/workflows", StandInAnswer.PlainText(200, "<html>maintenance</html>"));

        var error = await Assert.ThrowsAsync<DagenUnavailableException>(() => Client.ListWorkflowsAsync());

        Assert.Contains("does not understand", error.Message);
    }

    private static ServiceProvider Services(
        string baseUrl, string attemptTimeout = "00:00:05", TimeProvider? clock = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dagen:BaseUrl"] = baseUrl,
            ["Dagen:ApiToken"] = "dagen-test-token",
            ["Dagen:RetryBaseDelay"] = "00:00:00.010",
            ["Dagen:AttemptTimeout"] = attemptTimeout,
            ["Dagen:TotalTimeout"] = "00:00:10",
            ["Dagen:MaxRetries"] = "3",
            ["Slack:ApiBaseUrl"] = baseUrl, // never called here
        }).Build();
        var services = new ServiceCollection().AddLogging();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        services.AddDagenGrainServices(configuration);
        return services.BuildServiceProvider();
    }
}
