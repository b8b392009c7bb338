using Dagen.Grains.Sessions;

namespace Dagen.Grains.Tests.Sessions;

public sealed class ConversationHistoryTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static ConversationTurn Q(string text) => new(ConversationRole.User, text, At);

    private static ConversationTurn A(string text) => new(ConversationRole.Assistant, text, At);

    [Fact]
    public void TheOldestTurnsGoFirstWhenThereAreTooMany()
    {
        var options = new SessionOptions { MaxHistoryTurns = 4, MaxHistoryCharacters = 10_000 };
        var history = new List<ConversationTurn>();

        ConversationHistory.Append(history, Q("q1"), A("a1"), options);
        ConversationHistory.Append(history, Q("q2"), A("a2"), options);
        ConversationHistory.Append(history, Q("q3"), A("a3"), options);

        Assert.Equal(["q2", "a2", "q3", "a3"], history.Select(t => t.Text));
    }

    [Fact]
    public void TheOldestTurnsGoFirstWhenThereAreTooManyCharacters()
    {
        var options = new SessionOptions { MaxHistoryTurns = 100, MaxHistoryCharacters = 1_000 };
        var history = new List<ConversationTurn>();

        ConversationHistory.Append(history, Q(new string('a', 300)), A(new string('b', 300)), options);
        ConversationHistory.Append(history, Q(new string('c', 300)), A(new string('d', 300)), options);

        Assert.Equal(2, history.Count);
        Assert.Equal('c', history[0].Text[0]);
        Assert.True(history.Sum(t => t.Text.Length) <= 1_000);
    }

    [Fact]
    public void AnAnswerLongerThanHalfTheBudgetKeepsItsEndAndTheExchangeStays()
    {
        var options = new SessionOptions { MaxHistoryTurns = 100, MaxHistoryCharacters = 1_000 };
        var history = new List<ConversationTurn>();

        ConversationHistory.Append(history, Q("q"), A(new string('x', 5_000) + "THE END"), options);

        Assert.Equal(2, history.Count);
        Assert.EndsWith("THE END", history[1].Text);
        Assert.StartsWith("[…]", history[1].Text);
        Assert.Equal(500, history[1].Text.Length);
    }

    [Fact]
    public void HistoryNeverStartsWithAnAnswer()
    {
        var history = new List<ConversationTurn> { Q("q1"), A("a1"), Q("q2"), A("a2") };

        ConversationHistory.Trim(history, maxTurns: 3, maxCharacters: 10_000);

        Assert.Equal(["q2", "a2"], history.Select(t => t.Text));
    }
}
