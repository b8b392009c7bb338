using Dagen.EndToEnd.Tests.Infrastructure;
using Dagen.StandIns.Dagen;
using Dagen.StandIns.Slack;

namespace Dagen.EndToEnd.Tests.StandIns;

/// <summary>Wrong settings or sample files stop a stand-in at start with a message that says what to change.</summary>
public sealed class StandInSettingsTests
{
    [Fact]
    public async Task AStandInRefusesToListenOffLoopback()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => LocalSlackWorkspace.StartAsync(
            new LocalSlackOptions { Url = new Uri("http://0.0.0.0:5090") }));

        Assert.Contains("LocalSlack:Url", refused.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASigningSecretNotShapedLikeSlacksIsRefused()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => LocalSlackWorkspace.StartAsync(
            new LocalSlackOptions { Url = new Uri("http://127.0.0.1:0"), SigningSecret = "has-dashes-and-is-long" }));

        Assert.Contains("LocalSlack__SigningSecret", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABrokenSampleFileNamesTheEntryAndTheFix()
    {
        var folder = Directory.CreateTempSubdirectory("standins-samples-");
        var file = Path.Combine(folder.FullName, "workflows.json");
        await File.WriteAllTextAsync(file, """
            {"workflows":[{"id":"wf-x","name":"X","slug":"x","status":"running",
              "run":{"seconds":3,"outcome":"success"}}]}
            """);

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => LocalDagen.StartAsync(new LocalDagenOptions
        {
            Url = new Uri("http://127.0.0.1:0"),
            ApiToken = StandIn.DagenToken,
            WorkflowsFile = file,
        }));
        folder.Delete(recursive: true);

        Assert.Contains(
            "'wf-x' has status 'running'; use active, paused or draft", refused.Message, StringComparison.Ordinal);
    }
}
