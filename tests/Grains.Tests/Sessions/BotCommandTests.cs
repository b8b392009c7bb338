using Dagen.Grains.Sessions;

namespace Dagen.Grains.Tests.Sessions;

public sealed class BotCommandTests
{
    [Theory]
    [InlineData("help")]
    [InlineData("HELP")]
    [InlineData("")]
    public void HelpIsRecognised(string text) => Assert.IsType<BotCommand.Help>(BotCommand.Parse(text));

    [Theory]
    [InlineData("list")]
    [InlineData("List")]
    [InlineData("list workflows")]
    [InlineData("LIST Workflows")]
    public void ListIsRecognisedWithOrWithoutWorkflows(string text) =>
        Assert.IsType<BotCommand.ListWorkflows>(BotCommand.Parse(text));

    [Theory]
    [InlineData("status")]
    [InlineData("Status")]
    public void StatusIsRecognised(string text) => Assert.IsType<BotCommand.Status>(BotCommand.Parse(text));

    [Theory]
    [InlineData("reset")]
    [InlineData("RESET")]
    public void ResetIsRecognised(string text) => Assert.IsType<BotCommand.Reset>(BotCommand.Parse(text));

    [Theory]
    [InlineData("run daily-sync", "daily-sync")]
    [InlineData("RUN Daily Sync", "Daily Sync")]
    [InlineData("Run orders", "orders")]
    public void RunCarriesTheWorkflowAsWritten(string text, string workflow) =>
        Assert.Equal(new BotCommand.Run(workflow), BotCommand.Parse(text));

    [Fact]
    public void AgentCarriesTheNameAndTheQuestion() =>
        Assert.Equal(
            new BotCommand.AskAgent("dbt", "compile my_model"), BotCommand.Parse("Agent dbt compile my_model"));

    [Theory]
    [InlineData("What's the row count for orders?")]
    [InlineData("help me build a pipeline")]
    [InlineData("status of the nightly load")]
    [InlineData("list the tables in analytics")]
    [InlineData("resetting the cursor is safe?")]
    public void AnythingElseGoesToTheSuperAgent(string text) =>
        Assert.Equal(new BotCommand.AskSuperAgent(text), BotCommand.Parse(text));

    [Fact]
    public void RunWithoutAWorkflowExplainsItself() =>
        Assert.Equal(new BotCommand.Usage(UsageOf.Run), BotCommand.Parse("run"));

    [Theory]
    [InlineData("agent", null)]
    [InlineData("agent dbt", "dbt")]
    public void AgentWithoutAQuestionExplainsItself(string text, string? agent) =>
        Assert.Equal(new BotCommand.Usage(UsageOf.Agent, agent), BotCommand.Parse(text));
}
