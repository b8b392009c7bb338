using System.Text.RegularExpressions;
using Dagen.StandIns.Slack;

namespace Dagen.EndToEnd.Tests.ReadmeFlow;

/// <summary>
/// The walk-through of README and docs/local-development.md, as a newcomer meets it: the run command, then
/// mentions typed in the local workspace, answered by the real silo and gateway on the embedded default.
/// </summary>
[Collection(ReadmeFlowCollection.Name)]
public sealed partial class ReadmeFlowTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task TheWalkThroughIsAnsweredInThreadsTheWayTheUserGuideShows()
    {
        await using var run = await LocalRun.StartAsync(Startup);

        var help = await run.SayAsync("alice", "@dagen help");
        var helpReplies = await run.WaitForThreadAsync(help, r => r.Count >= 1, Answer);

        var list = await run.SayAsync("alice", "@dagen list");
        var listReplies = await run.WaitForThreadAsync(list, r => r.Count >= 1, Answer);

        var trigger = await run.SayAsync("alice", "@dagen run daily-sync");
        var runReplies = await run.WaitForThreadAsync(
            trigger, r => r.Any(m => m.Text.StartsWith("✅ Workflow finished", StringComparison.Ordinal)), Answer);

        var status = await run.SayAsync("bob", "@dagen status");
        var statusReplies = await run.WaitForThreadAsync(status, r => r.Count >= 1, Answer);

        var question = await run.SayAsync(
            "carol", "@dagen Create an ingestion pipeline from our Postgres to BigQuery for the users table");
        var answer = await run.WaitForThreadAsync(question, r => r.Count >= 2, Answer);
        var followUp = await run.SayAsync("carol", "@dagen What was that pipeline ID again?");
        var recalled = await run.WaitForThreadAsync(followUp, r => r.Count >= 2, Answer);

        var snapshot = await run.SnapshotAsync();
        foreach (var mention in new[] { help, list, trigger, status, question, followUp })
        {
            Assert.True(
                snapshot.Find(mention.Ts)!.HasReaction("eyes"), $"No :eyes: on '{mention.Text}'.");
        }

        Assert.All(["help", "list", "status", "run", "agent"], word => Assert.Contains(word, helpReplies[0].Text));
        Assert.Contains("Daily Sync", listReplies[0].Text);

        Assert.Equal("Starting workflow daily-sync…", runReplies[0].Text);
        Assert.Matches(TriggeredPattern(), runReplies[1].Text);
        Assert.Matches(FinishedPattern(), runReplies[^1].Text);
        Assert.Single(runReplies, r => r.Text.StartsWith("✅", StringComparison.Ordinal));

        Assert.Contains("Daily Sync", statusReplies[0].Text);
        Assert.Contains("success", statusReplies[0].Text);

        Assert.Equal("On it…", answer[0].Text);
        var pipelineId = PipelineIdPattern().Match(answer[1].Text);
        Assert.True(pipelineId.Success, $"No pipeline id in: {answer[1].Text}");
        Assert.Equal("On it…", recalled[0].Text);
        Assert.Contains(pipelineId.Value, recalled[1].Text);
    }

    [GeneratedRegex(
        """^Workflow "Daily Sync" triggered \(run [^\s)]{1,8}…\)\. I'll update you when it completes\.$""")]
    private static partial Regex TriggeredPattern();

    [GeneratedRegex(@"^✅ Workflow finished — success \(\d+s\)$")]
    private static partial Regex FinishedPattern();

    [GeneratedRegex(@"pg_users_bq_\d+")]
    private static partial Regex PipelineIdPattern();
}

/// <summary>The README flow binds ports and starts processes: it runs alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReadmeFlowCollection
{
    public const string Name = "readme-flow";
}
