using System.ClientModel;
using System.ClientModel.Primitives;
using Dagen.Grains.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Dagen.Grains.Agents;

/// <summary>
/// <see cref="IAgentClient"/> over Microsoft.Extensions.AI's <see cref="IChatClient"/> for OpenAI-compatible
/// endpoints. HTTP goes through the named client <see cref="HttpClientName"/>, whose resilience handler does
/// the retries; the OpenAI library's own retries are off so that the two do not multiply.
/// </summary>
internal sealed class OpenAiAgentClient(IHttpClientFactory httpClients, IOptions<AgentOptions> options) : IAgentClient
{
    public const string HttpClientName = "dagen-agents";

    public async Task<string> AskAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var chat = CreateOpenAiClient().GetChatClient(request.Model).AsIChatClient();

        var messages = request.History
            .Select(turn => new ChatMessage(
                turn.Role == ConversationRole.Assistant ? ChatRole.Assistant : ChatRole.User, turn.Text))
            .Append(new ChatMessage(ChatRole.User, request.Question))
            .ToList();

        // The OpenAI protocol's "user" field lets Dagen attribute the call to a Slack user.
        var chatOptions = new ChatOptions
        {
            RawRepresentationFactory = _ => new ChatCompletionOptions { EndUserId = request.User },
        };

        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(messages, chatOptions, cancellationToken);
        }
        catch (Exception exception) when (Translate(exception) is { } translated)
        {
            throw translated;
        }

        var text = response.Text;
        return string.IsNullOrWhiteSpace(text) ? throw new AgentException("it gave an empty answer") : text.Trim();
    }

    public async Task<IReadOnlyList<string>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var models = await CreateOpenAiClient().GetOpenAIModelClient().GetModelsAsync(cancellationToken);
            return models.Value.Select(m => m.Id).Where(id => !string.IsNullOrWhiteSpace(id)).ToList();
        }
        catch (Exception exception) when (Translate(exception) is { } translated)
        {
            throw translated;
        }
    }

    private OpenAIClient CreateOpenAiClient()
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.BaseUrl))
        {
            throw new AgentException("the agents are not configured (set Agents:BaseUrl or Dagen:BaseUrl)");
        }

        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = new Uri(settings.BaseUrl),
            Transport = new HttpClientPipelineTransport(httpClients.CreateClient(HttpClientName)),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = settings.Timeout,
        };

        // The library insists on a key; an endpoint without authentication ignores this one.
        var key = string.IsNullOrWhiteSpace(settings.ApiKey) ? "none" : settings.ApiKey;
        return new OpenAIClient(new ApiKeyCredential(key), clientOptions);
    }

    private static AgentException? Translate(Exception exception) => exception switch
    {
        AgentException => null,
        OperationCanceledException => null,
        ClientResultException { Status: 0 } e when e.InnerException is OperationCanceledException or TimeoutException =>
            new AgentException("it did not answer in time", null, e),
        ClientResultException { Status: 0 } e => new AgentException("it could not be reached", null, e),
        ClientResultException { Status: 404 } e => new AgentException("it does not exist (HTTP 404)", 404, e),
        ClientResultException { Status: 429 } e => new AgentException("it is busy (HTTP 429)", 429, e),
        ClientResultException e => new AgentException($"it answered with an error (HTTP {e.Status})", e.Status, e),
        HttpRequestException e => new AgentException("it could not be reached", null, e),
        TimeoutException e => new AgentException("it did not answer in time", null, e),
        _ => null,
    };
}
