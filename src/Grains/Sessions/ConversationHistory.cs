namespace Dagen.Grains.Sessions;

/// <summary>
/// Keeps a conversation within its bounds: oldest turns dropped first, no turn longer than half the budget.
/// </summary>
internal static class ConversationHistory
{
    private const string CutMark = " […]";

    /// <summary>Adds a question and its answer, then drops the oldest turns until both bounds hold.</summary>
    public static void Append(
        List<ConversationTurn> history, ConversationTurn question, ConversationTurn answer, SessionOptions options)
    {
        var longest = Math.Max(CutMark.Length + 1, options.MaxHistoryCharacters / 2);
        history.Add(Cap(question, longest));
        history.Add(Cap(answer, longest));
        Trim(history, options.MaxHistoryTurns, options.MaxHistoryCharacters);
    }

    /// <summary>
    /// Drops turns from the front while there are more than <paramref name="maxTurns"/> or more than
    /// <paramref name="maxCharacters"/> characters, and never leaves an answer without its question first.
    /// </summary>
    public static void Trim(List<ConversationTurn> history, int maxTurns, int maxCharacters)
    {
        var characters = history.Sum(t => t.Text.Length);
        while (history.Count > 0
            && (history.Count > maxTurns || characters > maxCharacters || history[0].Role != ConversationRole.User))
        {
            characters -= history[0].Text.Length;
            history.RemoveAt(0);
        }
    }

    private static ConversationTurn Cap(ConversationTurn turn, int longest)
    {
        if (turn.Text.Length <= longest)
        {
            return turn;
        }

        // Keep the end of a long turn: it usually holds the conclusion. Never split a surrogate pair.
        var keep = longest - CutMark.Length;
        var start = turn.Text.Length - keep;
        if (char.IsLowSurrogate(turn.Text[start]))
        {
            start++;
        }

        return turn with { Text = CutMark.TrimStart() + " " + turn.Text[start..] };
    }
}
