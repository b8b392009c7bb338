namespace Dagen.Grains.Sessions;

/// <summary>What a mention asks the bot to do, once its text is cleaned (<see cref="MentionText"/>).</summary>
internal abstract record BotCommand
{
    private static readonly char[] Spaces = [' ', '\n'];

    /// <summary>
    /// True when answering changes nothing but the thread (no run triggered, no conversation kept): such an
    /// answer may simply be given again after a restart, so it need not be marked as in progress first.
    /// </summary>
    public virtual bool OnlyReads => false;

    /// <summary>
    /// Reads a command. Command words are case-insensitive. A command word with something unexpected after
    /// it (<c>help me with dbt</c>) is not that command: like any other text it goes to the Super Agent.
    /// </summary>
    public static BotCommand Parse(string cleanText)
    {
        ArgumentNullException.ThrowIfNull(cleanText);
        var text = cleanText.Trim();
        if (text.Length == 0)
        {
            return new Help();
        }

        var (word, rest) = SplitFirstWord(text);
        switch (word.ToLowerInvariant())
        {
            case "help" when rest.Length == 0:
                return new Help();
            case "list" when rest.Length == 0 || rest.Equals("workflows", StringComparison.OrdinalIgnoreCase):
                return new ListWorkflows();
            case "status" when rest.Length == 0:
                return new Status();
            case "reset" when rest.Length == 0:
                return new Reset();
            case "run":
                return rest.Length == 0 ? new Usage(UsageOf.Run) : new Run(rest);
            case "agent":
                var (name, question) = SplitFirstWord(rest);
                return name.Length == 0 || question.Length == 0
                    ? new Usage(UsageOf.Agent, name.Length == 0 ? null : name)
                    : new AskAgent(name, question);
            default:
                return new AskSuperAgent(text);
        }
    }

    private static (string Word, string Remainder) SplitFirstWord(string text)
    {
        var end = text.IndexOfAny(Spaces);
        return end < 0 ? (text, "") : (text[..end], text[(end + 1)..].Trim());
    }

    /// <summary><c>help</c>, or a mention with nothing else in it.</summary>
    public sealed record Help : BotCommand
    {
        public override bool OnlyReads => true;
    }

    /// <summary><c>list</c> or <c>list workflows</c>.</summary>
    public sealed record ListWorkflows : BotCommand
    {
        public override bool OnlyReads => true;
    }

    /// <summary><c>status</c>: the most recent runs.</summary>
    public sealed record Status : BotCommand
    {
        public override bool OnlyReads => true;
    }

    /// <summary><c>reset</c>: forget the Super Agent conversation.</summary>
    public sealed record Reset : BotCommand;

    /// <summary><c>run &lt;workflow&gt;</c>, with the workflow as the person wrote it.</summary>
    public sealed record Run(string Workflow) : BotCommand;

    /// <summary><c>agent &lt;name&gt; &lt;question&gt;</c>: one question to one sub-agent, without history.</summary>
    public sealed record AskAgent(string Agent, string Question) : BotCommand;

    /// <summary>Anything else: a question for the Super Agent.</summary>
    public sealed record AskSuperAgent(string Question) : BotCommand;

    /// <summary>A command word without what it needs (<c>run</c> alone, <c>agent dbt</c> with no question).</summary>
    public sealed record Usage(UsageOf Command, string? Agent = null) : BotCommand
    {
        public override bool OnlyReads => true;
    }
}

/// <summary>Which command a <see cref="BotCommand.Usage"/> reply explains.</summary>
internal enum UsageOf
{
    Run,
    Agent,
}
