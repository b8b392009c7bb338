using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dagen.StandIns.Hosting;
using Dagen.StandIns.Slack;

namespace Dagen.StandIns.Cli;

/// <summary>
/// <c>say</c>: speaks as a member of the local workspace, as if typed on its page. The workspace records
/// the message and sends the signed app_mention to the gateway; <c>say</c> then prints the bot's reactions and
/// thread replies as they arrive. With <c>--direct</c> it signs and sends the event to the gateway itself.
/// </summary>
internal static class SayCommand
{
    public const string Usage = """
        say [--as alice] [--thread TS] [--wait SECONDS] [--workspace URL] TEXT...
            Posts TEXT as a member of the local workspace (alice, bob, carol, ci-bot); '@dagen' mentions the bot.
            Prints the bot's reactions and replies for --wait seconds (default 15; 0 returns at once).
        say --direct --events-url URL [--as alice] TEXT...
            Signs the app_mention with LocalSlack:SigningSecret and sends it to the gateway itself, without the
            workspace (the bot's replies then have no message to go to).
        """;

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(400);

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, LocalSlackOptions slack, TextWriter output, CancellationToken cancellationToken)
    {
        var parsed = Arguments.Parse(args, ["as", "thread", "wait", "workspace", "events-url"], ["direct"]);
        var text = string.Join(' ', parsed.Words).Trim();
        if (text.Length == 0)
        {
            throw new CommandLineException("Say something, e.g.: say --as alice \"@dagen help\"");
        }

        var who = parsed["as"] ?? LocalWorkspace.Alice.Name;
        using var http = StandInHttp.Create();
        if (parsed.Has("direct"))
        {
            var eventsUrl = parsed.LoopbackUrl("events-url", new Uri("http://127.0.0.1:0/"));
            if (parsed["events-url"] is null)
            {
                throw new CommandLineException(
                    "--direct needs --events-url, the gateway's /api/slack/events/<id> URL.");
            }

            return await SendDirectAsync(http, eventsUrl, slack.SigningSecret, who, text, output, cancellationToken);
        }

        var wait = parsed["wait"] is { } w
            ? int.TryParse(w, out var seconds) && seconds >= 0 ? seconds
                : throw new CommandLineException("--wait takes a whole number of seconds.")
            : 15;
        var workspace = parsed.LoopbackUrl("workspace", slack.Url);
        return await PostThroughWorkspaceAsync(
            http, workspace, who, text, parsed["thread"], TimeSpan.FromSeconds(wait), output, cancellationToken);
    }

    private static async Task<int> PostThroughWorkspaceAsync(
        HttpClient http, Uri workspace, string who, string text, string? threadTs, TimeSpan wait, TextWriter output,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(
                new Uri(workspace, "local/messages"), new { user = who, text, threadTs }, cancellationToken);
        }
        catch (HttpRequestException)
        {
            await output.WriteLineAsync(
                $"The local Slack workspace does not answer on {workspace}; start it with scripts/run-local.sh.");
            return 1;
        }

        using (response)
        {
            var posted = await response.Content.ReadFromJsonAsync<JsonElement>(StandInJson.Options, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                await output.WriteLineAsync(posted.TryGetProperty("error", out var e) ? e.GetString() : "Refused.");
                return 1;
            }

            var result = posted.Deserialize<PostedMessage>(StandInJson.Options)!;
            await output.WriteLineAsync(Describe(result));
            if (result.Message is null || wait <= TimeSpan.Zero || result.Delivery is not { Succeeded: true })
            {
                return result.Delivery is { Succeeded: false } ? 1 : 0;
            }

            await FollowAsync(http, workspace, result.Message, wait, output, cancellationToken);
            return 0;
        }
    }

    /// <summary>
    /// Prints reactions on the message and new replies in its thread until <paramref name="wait"/> ends.
    /// </summary>
    private static async Task FollowAsync(
        HttpClient http, Uri workspace, RecordedMessage mine, TimeSpan wait, TextWriter output,
        CancellationToken cancellationToken)
    {
        var thread = mine.ThreadTs ?? mine.Ts;
        var shownReactions = new HashSet<string>(StringComparer.Ordinal);
        var shownReplies = new HashSet<string>(StringComparer.Ordinal) { mine.Ts };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < wait && !cancellationToken.IsCancellationRequested)
        {
            var snapshot = await http.GetFromJsonAsync<WorkspaceSnapshot>(
                new Uri(workspace, "local/conversation"), StandInJson.Options, cancellationToken);
            foreach (var reaction in snapshot!.Find(mine.Ts)?.Reactions ?? [])
            {
                if (shownReactions.Add(reaction.Name))
                {
                    await output.WriteLineAsync($"  :{reaction.Name}: added by {string.Join(", ", reaction.UserIds)}");
                }
            }

            foreach (var reply in snapshot.RepliesTo(thread).Where(r => string.CompareOrdinal(r.Ts, mine.Ts) > 0))
            {
                if (shownReplies.Add(reply.Ts))
                {
                    var author = LocalWorkspace.Find(reply.UserId)?.Name ?? reply.UserId;
                    var text = reply.Text.Replace("\n", "\n    ", StringComparison.Ordinal);
                    await output.WriteLineAsync($"  {author}: {text}");
                }
            }

            try
            {
                await Task.Delay(PollEvery, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static string Describe(PostedMessage posted)
    {
        if (posted.Message is null)
        {
            return posted.Note ?? "Done.";
        }

        var author = LocalWorkspace.Find(posted.Message.UserId)?.Name;
        var said = $"{author}: {posted.Message.Text}  (ts {posted.Message.Ts})";
        if (posted.Note is not null)
        {
            return $"{said}\n  No event sent: {posted.Note}";
        }

        return posted.Delivery switch
        {
            null => $"{said}\n  (no mention of @dagen, so no event)",
            { Succeeded: true } d => $"{said}\n  app_mention {d.EventId} → gateway answered HTTP {d.StatusCode}",
            var d => $"{said}\n  app_mention {d.EventId} → {(d.StatusCode is { } s ? $"HTTP {s}" : d.Failure)}; "
                + "Slack would retry. Is the gateway up and the signing secret the same on both sides?",
        };
    }

    private static async Task<int> SendDirectAsync(
        HttpClient http, Uri eventsUrl, string signingSecret, string who, string text, TextWriter output,
        CancellationToken cancellationToken)
    {
        var author = LocalWorkspace.Find(who) ?? throw new CommandLineException($"'{who}' is not a local member.");
        var parsed = TypedMessage.Parse(text);
        var now = TimeProvider.System.GetUtcNow();
        var message = new RecordedMessage
        {
            Ts = $"{now.ToUnixTimeSeconds()}.{now.Millisecond * 1000:D6}",
            UserId = author.Id,
            BotId = author.BotId,
            Text = parsed.Text,
            Source = MessageSource.User,
            PostedAt = now,
        };
        var outgoing = OutgoingEvent.AppMention(message, author, parsed.Blocks, null);
        var timestamp = SlackSignature.Timestamp(now);
        using var request = new HttpRequestMessage(HttpMethod.Post, eventsUrl)
        {
            Content = new ByteArrayContent(outgoing.Body),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(SlackSignature.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignature.SignatureHeader,
            SlackSignature.Compute(signingSecret, timestamp, outgoing.Body));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            await output.WriteLineAsync(
                $"app_mention {outgoing.EventId} from {author.Name} → gateway answered HTTP {status}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (HttpRequestException)
        {
            await output.WriteLineAsync($"Nothing answers on {eventsUrl.GetLeftPart(UriPartial.Authority)}.");
            return 1;
        }
    }
}
