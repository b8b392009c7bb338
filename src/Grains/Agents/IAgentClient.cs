using Dagen.Grains.Sessions;

namespace Dagen.Grains.Agents;

/// <summary>
/// The Super Agent and its sub-agents behind Dagen's OpenAI-compatible endpoint (<c>Agents:BaseUrl</c>).
/// Failures come as <see cref="AgentException"/> with a reason fit for a person; cancelling the token is how
/// a caller bounds the wait.
/// </summary>
internal interface IAgentClient
{
    /// <summary>Asks the request's model its question after the turns given, and returns the answer.</summary>
    Task<string> AskAsync(AgentRequest request, CancellationToken cancellationToken);

    /// <summary>The agents that exist (<c>GET /v1/models</c>).</summary>
    Task<IReadOnlyList<string>> ListAgentsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One question to one agent: the model, the earlier turns (none for a sub-agent), the question, and the
/// <c>user</c> that Dagen attributes the call to (<c>teamId:userId</c>).
/// </summary>
internal sealed record AgentRequest(
    string Model,
    IReadOnlyList<ConversationTurn> History,
    string Question,
    string User);

/// <summary>An agent could not answer; <see cref="Exception.Message"/> says why, in words for a person.</summary>
internal sealed class AgentException(string message, int? status = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status the endpoint answered with, when it answered.</summary>
    public int? Status { get; } = status;
}
