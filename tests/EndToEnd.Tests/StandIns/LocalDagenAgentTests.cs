using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dagen.EndToEnd.Tests.Infrastructure;
using Dagen.StandIns.Dagen;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Dagen.EndToEnd.Tests.StandIns;

/// <summary>
/// The agent stand-in speaks the OpenAI protocol well enough for the OpenAI .NET client, which the product's
/// agent client builds on; its answers are deterministic, marked as the stand-in's and use the conversation.
/// </summary>
public sealed class LocalDagenAgentTests
{
    private static IChatClient Agent(LocalDagen dagen, string model, string key = StandIn.DagenToken) =>
        new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = dagen.AgentsBaseUrl })
            .GetChatClient(model)
            .AsIChatClient();

    [Fact]
    public async Task TheSuperAgentAnswersThroughTheOpenAIClientAndSaysItIsAStandIn()
    {
        await using var dagen = await StandIn.DagenAsync();
        var agent = Agent(dagen, "super-agent");

        var response = await agent.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "What tables are in the analytics dataset?")]);

        Assert.Contains("tables in the `analytics` dataset", response.Text, StringComparison.Ordinal);
        Assert.Contains("**orders** (1,204,311 rows)", response.Text, StringComparison.Ordinal);
        Assert.Contains("local Dagen stand-in", response.Text, StringComparison.Ordinal);
        Assert.Equal("super-agent", Assert.Single(dagen.Chats).Model);
    }

    [Fact]
    public async Task AFollowUpRecallsThePipelineIdGivenEarlierInTheConversation()
    {
        await using var dagen = await StandIn.DagenAsync();
        var agent = Agent(dagen, "super-agent");
        const string create = "Create an ingestion pipeline from our Postgres to BigQuery for the users table";
        List<ChatMessage> conversation = [new(ChatRole.User, $"<@U0DAGENBOT> {create}")];

        var created = await agent.GetResponseAsync(conversation);
        conversation.AddRange(created.Messages);
        conversation.Add(new ChatMessage(ChatRole.User, "What was that pipeline ID again?"));
        var recalled = await agent.GetResponseAsync(conversation);
        var again = await agent.GetResponseAsync([new ChatMessage(ChatRole.User, create)]);
        var forgotten = await agent.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "What was that pipeline ID again?")]);

        var id = System.Text.RegularExpressions.Regex
            .Match(created.Text, "Pipeline ID:\\*\\* `(pg_users_bq_[0-9]+)`").Groups[1].Value;
        Assert.NotEmpty(id);
        Assert.Contains($"`{id}`", recalled.Text, StringComparison.Ordinal);
        Assert.Equal(created.Text, again.Text);
        Assert.Contains("not created anything", forgotten.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStreamedAnswerArrivesInPiecesThatMakeTheWholeAnswer()
    {
        await using var dagen = await StandIn.DagenAsync();
        var agent = Agent(dagen, "dbt");
        ChatMessage[] question = [new(ChatRole.User, "Compile and run the monthly_revenue dbt model")];

        var whole = (await agent.GetResponseAsync(question)).Text;
        var pieces = new List<string>();
        await foreach (var update in agent.GetStreamingResponseAsync(question))
        {
            if (!string.IsNullOrEmpty(update.Text))
            {
                pieces.Add(update.Text);
            }
        }

        Assert.True(pieces.Count > 3, $"Expected several pieces, got {pieces.Count}.");
        Assert.Equal(whole, string.Concat(pieces));
        Assert.Contains("Compiled and executed `monthly_revenue`", whole, StringComparison.Ordinal);
        Assert.Contains("Rows affected: 1,847", whole, StringComparison.Ordinal);
        Assert.True(dagen.Chats[1].Stream);
    }

    [Fact]
    public async Task TheModelsListTheSuperAgentAndItsSubAgents()
    {
        await using var dagen = await StandIn.DagenAsync();
        using var client = StandIn.Client(dagen.BaseUrl, StandIn.DagenToken);

        var models = await client.GetFromJsonAsync<JsonElement>("v1/models");

        Assert.Equal(["super-agent", "dbt", "ingestion"],
            models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task AnUnknownAgentIs404AndAWrongKeyIs401InOpenAIsErrorShape()
    {
        await using var dagen = await StandIn.DagenAsync();

        var unknown = await Assert.ThrowsAsync<ClientResultException>(
            () => Agent(dagen, "nope").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));
        var wrongKey = await Assert.ThrowsAsync<ClientResultException>(
            () => Agent(dagen, "super-agent", "wrong-key").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal((int)HttpStatusCode.NotFound, unknown.Status);
        Assert.Contains("model_not_found", unknown.Message, StringComparison.Ordinal);
        Assert.Equal((int)HttpStatusCode.Unauthorized, wrongKey.Status);
        Assert.Empty(dagen.Chats);
    }

    [Fact]
    public async Task TheUserFieldIsRecordedForAttribution()
    {
        await using var dagen = await StandIn.DagenAsync();
        using var client = StandIn.Client(dagen.BaseUrl, StandIn.DagenToken);

        using var response = await client.PostAsJsonAsync("v1/chat/completions", new
        {
            model = "super-agent",
            user = "T0LOCAL:U0BOB",
            messages = new object[]
            {
                new { role = "system", content = "You are Dagen." },
                new { role = "user", content = new[] { new { type = "text", text = "hello" } } },
            },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var chat = Assert.Single(dagen.Chats);
        Assert.Equal("T0LOCAL:U0BOB", chat.User);
        Assert.Equal(["system", "user"], chat.Messages.Select(m => m.Role));
        Assert.Equal("hello", chat.Messages[1].Content);
    }
}
