namespace Dagen.Grains.Sessions;

/// <summary>One message of a Super Agent conversation.</summary>
[GenerateSerializer, Immutable, Alias("dagen.sessions.turn")]
public sealed record ConversationTurn(
    [property: Id(0)] ConversationRole Role,
    [property: Id(1)] string Text,
    [property: Id(2)] DateTimeOffset At);

/// <summary>Who wrote a turn.</summary>
[GenerateSerializer, Alias("dagen.sessions.role")]
public enum ConversationRole
{
    User = 0,
    Assistant = 1,
}
