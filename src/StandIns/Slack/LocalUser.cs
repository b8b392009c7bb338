namespace Dagen.StandIns.Slack;

/// <summary>A member of the local workspace. Bots carry a <see cref="BotId"/>, as Slack's events show them.</summary>
public sealed record LocalUser(string Id, string Name, string RealName, string? BotId = null)
{
    public bool IsBot => BotId is not null;
}

/// <summary>
/// The invented ids of the local workspace. Nothing here belongs to a real Slack workspace.
/// </summary>
public static class LocalWorkspace
{
    public const string TeamId = "T0LOCAL";

    public const string TeamName = "Local workspace (stand-in)";

    public const string TeamDomain = "dagen-local";

    public const string AppId = "A0DAGENAPP";

    public const string ChannelId = "C0LOCAL";

    public const string ChannelName = "dagen-local";

    public const string BotUserId = "U0DAGENBOT";

    public const string BotId = "B0DAGENBOT";

    /// <summary>The app that posts what arrives through the Incoming Webhook.</summary>
    public const string WebhookBotId = "B0WEBHOOK";

    /// <summary>The legacy verification token Slack still puts in every event; never checked by the product.</summary>
    public const string VerificationToken = "local-standin-verification-token";

    public static LocalUser Dagen { get; } = new(BotUserId, "dagen", "Dagen", BotId);

    public static LocalUser Alice { get; } = new("U0ALICE", "alice", "Alice Example");

    public static LocalUser Bob { get; } = new("U0BOB", "bob", "Bob Example");

    public static LocalUser Carol { get; } = new("U0CAROL", "carol", "Carol Example");

    /// <summary>Another app's bot, to show that the product never answers bots.</summary>
    public static LocalUser CiBot { get; } = new("U0CIBOT", "ci-bot", "CI bot", "B0CIBOT");

    /// <summary>Everyone in the channel, people first.</summary>
    public static IReadOnlyList<LocalUser> Members { get; } = [Alice, Bob, Carol, CiBot, Dagen];

    /// <summary>The members a person can speak as on the page and with <c>say</c>.</summary>
    public static IReadOnlyList<LocalUser> Speakers { get; } = [Alice, Bob, Carol, CiBot];

    /// <summary>Finds a member by id (<c>U0ALICE</c>) or name (<c>alice</c>, <c>@alice</c>), ignoring case.</summary>
    public static LocalUser? Find(string idOrName)
    {
        var key = idOrName.Trim().TrimStart('@');
        return Members.FirstOrDefault(u =>
            string.Equals(u.Id, key, StringComparison.OrdinalIgnoreCase)
            || string.Equals(u.Name, key, StringComparison.OrdinalIgnoreCase));
    }
}
