using Dagen.StandIns.Hosting;

namespace Dagen.StandIns.Slack;

/// <summary>
/// A local Slack workspace for development and tests, standing in for Slack: one channel, a few members,
/// the Web API methods and the Incoming Webhook the product calls, and a page to speak as a member. What the
/// product does in it is recorded and can be read back with <see cref="Snapshot"/>.
/// </summary>
public sealed partial class LocalSlackWorkspace : StandInServer
{
    private LocalSlackWorkspace(LocalSlackOptions options)
    {
        Options = options;
    }

    public LocalSlackOptions Options { get; }

    /// <summary>What the product uses as <c>Slack:ApiBaseUrl</c>: <c>{BaseUrl}api/</c>.</summary>
    public Uri ApiBaseUrl => new(BaseUrl, "api/");

    /// <summary>The Incoming Webhook URL to save in the notification channel.</summary>
    public Uri WebhookUrl => Options.WebhookUrl(BaseUrl);

    private SlackWorkspace Workspace => Services.GetRequiredService<SlackWorkspace>();

    private WorkspaceState State => Services.GetRequiredService<WorkspaceState>();

    /// <summary>
    /// Starts the workspace on <see cref="LocalSlackOptions.Url"/> (port 0 takes a free port). Invalid options
    /// throw an <see cref="ArgumentException"/> that says how to fix them.
    /// </summary>
    public static async Task<LocalSlackWorkspace> StartAsync(
        LocalSlackOptions options, StandInHostOptions? host = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        host ??= new StandInHostOptions();
        var builder = CreateBuilder(options.Url, host);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<WorkspaceState>();
        builder.Services.AddSingleton<EventSender>();
        builder.Services.AddSingleton<SlackWorkspace>();

        var app = builder.Build();
        app.MapWorkspacePage();
        app.MapSlackWebApi();
        app.MapSlackWebhook();

        var workspace = new LocalSlackWorkspace(options);
        await workspace.StartAppAsync(app, cancellationToken);
        workspace.Workspace.WebhookUrl = workspace.WebhookUrl;
        LogStarted(app.Logger, workspace.BaseUrl, workspace.ApiBaseUrl);
        return workspace;
    }

    /// <summary>Everything recorded so far.</summary>
    public WorkspaceSnapshot Snapshot() => Workspace.Snapshot();

    /// <summary>
    /// Waits until what was recorded satisfies <paramref name="condition"/> and returns that snapshot; throws
    /// a <see cref="TimeoutException"/> listing the conversation when it does not within <paramref name="timeout"/>.
    /// </summary>
    public async Task<WorkspaceSnapshot> WaitForAsync(Func<WorkspaceSnapshot, bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var snapshot = Snapshot();
            if (condition(snapshot))
            {
                return snapshot;
            }

            try
            {
                await State.WaitForChangeAsync(snapshot.Version, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"The local workspace did not reach the expected state within {timeout}. It holds:\n"
                    + Describe(Snapshot()));
            }
        }
    }

    /// <summary>Posts as a member, as a person would on the page; see <see cref="PostedMessage"/>.</summary>
    public Task<PostedMessage> PostAsUserAsync(string user, string text, string? threadTs = null) =>
        Workspace.PostAsUserAsync(user, text, threadTs);

    /// <summary>Sets the app's Request URL and verifies it with Slack's url_verification challenge.</summary>
    public Task<AppSettingsView> SetEventsUrlAsync(Uri? url) => Workspace.SetEventsUrlAsync(url);

    /// <summary>Sends an event again with the next <c>X-Slack-Retry-Num</c>, as Slack does after a time-out.</summary>
    public Task<EventDeliveryRecord> RedeliverAsync(string eventId, string reason = "http_timeout") =>
        Services.GetRequiredService<EventSender>().RedeliverAsync(eventId, reason);

    /// <summary>
    /// Makes the next call of <paramref name="method"/> (or of the webhook) fail with <paramref name="fault"/>.
    /// </summary>
    public void InjectFault(string method, SlackFault fault) => State.InjectFault(method, fault);

    /// <summary>
    /// Adds the bot to the channel or removes it, as <c>/invite @Dagen</c> and <c>/remove @Dagen</c> do.
    /// </summary>
    public void SetBotInChannel(bool member) => State.SetBotInChannel(member);

    /// <summary>Replaces the scopes granted to the bot token.</summary>
    public void SetBotScopes(params string[] scopes) => State.SetScopes(scopes);

    /// <summary>The conversation as lines of text, for failure messages.</summary>
    public static string Describe(WorkspaceSnapshot snapshot)
    {
        var lines = snapshot.Messages.Select(m =>
            $"  {(m.IsReply ? "    ↳ " : "")}[{m.Ts}] {m.Source} {m.UserId}: {m.Text}"
            + (m.Reactions.Count > 0 ? $"  ({string.Join(' ', m.Reactions.Select(r => ":" + r.Name + ":"))})" : ""));
        var calls = snapshot.ApiCalls.Where(c => !c.Ok).Select(c => $"  refused {c.Method}: {c.Error}");
        var deliveries = snapshot.Deliveries.Select(d =>
            $"  event {d.EventId} retry {d.RetryNum}: {(d.StatusCode is { } s ? $"HTTP {s}" : d.Failure)}");
        return string.Join('\n', lines.Concat(calls).Concat(deliveries).DefaultIfEmpty("  (nothing)"));
    }

    protected override async Task OnStoppingAsync() =>
        await Services.GetRequiredService<EventSender>().DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Local Slack workspace STAND-IN (development only, not Slack) on {BaseUrl}; "
            + "Web API at {ApiBaseUrl}")]
    private static partial void LogStarted(ILogger logger, Uri baseUrl, Uri apiBaseUrl);
}
