using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Dagen.Grains.Slack;

/// <summary>
/// <see cref="ISlackWebApi"/> over a typed <see cref="HttpClient"/> whose base address is
/// <see cref="SlackOptions.ApiBaseUrl"/> and whose time-out is <see cref="SlackOptions.RequestTimeout"/>.
/// Requests are JSON with the bot token as bearer; redirects are not followed.
/// </summary>
internal sealed class SlackWebApiClient(HttpClient http, TimeProvider clock) : ISlackWebApi
{
    /// <summary>Slack errors that say Slack itself is in trouble, not the request.</summary>
    private static readonly HashSet<string> TransientErrors =
        ["internal_error", "fatal_error", "service_unavailable", "request_timeout"];

    public Task<SlackApiResult> AddReactionAsync(
        string botToken,
        string slackChannel,
        string messageTs,
        string emoji,
        CancellationToken cancellationToken = default) =>
        CallAsync("reactions.add", botToken, cancellationToken, body =>
        {
            body.WriteString("channel", slackChannel);
            body.WriteString("timestamp", messageTs);
            body.WriteString("name", emoji);
        });

    public Task<SlackApiResult> PostMessageAsync(
        string botToken,
        string slackChannel,
        string mrkdwn,
        string? threadTs,
        CancellationToken cancellationToken = default) =>
        CallAsync("chat.postMessage", botToken, cancellationToken, body =>
        {
            body.WriteString("channel", slackChannel);
            body.WriteString("text", mrkdwn);
            if (!string.IsNullOrEmpty(threadTs))
            {
                body.WriteString("thread_ts", threadTs);
            }

            body.WriteBoolean("mrkdwn", true);
        });

    public Task<SlackApiResult> UpdateMessageAsync(
        string botToken,
        string slackChannel,
        string messageTs,
        string mrkdwn,
        CancellationToken cancellationToken = default) =>
        CallAsync("chat.update", botToken, cancellationToken, body =>
        {
            body.WriteString("channel", slackChannel);
            body.WriteString("ts", messageTs);
            body.WriteString("text", mrkdwn);
        });

    private async Task<SlackApiResult> CallAsync(
        string method, string botToken, CancellationToken cancellationToken, Action<Utf8JsonWriter> writeBody)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(botToken);

        using var request = new HttpRequestMessage(HttpMethod.Post, method);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", botToken);
        request.Content = JsonContent(writeBody);

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return await ReadAsync(method, response, cancellationToken);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result(method, SlackCallOutcome.Transient, "timeout");
        }
        catch (HttpRequestException exception)
        {
            return Result(method, SlackCallOutcome.Transient, "network_error", (int?)exception.StatusCode);
        }
    }

    private async Task<SlackApiResult> ReadAsync(
        string method, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return Result(method, SlackCallOutcome.RateLimited, "ratelimited", status) with
            {
                RetryAfter = RetryAfter.Read(response, clock),
            };
        }

        if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
        {
            return Result(method, SlackCallOutcome.Transient, $"http_{status}", status);
        }

        if (status is < 200 or >= 300)
        {
            return Result(method, SlackCallOutcome.Refused, $"http_{status}", status);
        }

        JsonElement answer;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            answer = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Result(method, SlackCallOutcome.Transient, "unreadable_answer", status);
        }

        if (answer.ValueKind != JsonValueKind.Object)
        {
            return Result(method, SlackCallOutcome.Transient, "unreadable_answer", status);
        }

        var ok = answer.TryGetProperty("ok", out var okValue) && okValue.ValueKind == JsonValueKind.True;
        var error = Text(answer, "error");
        if (ok || (method == "reactions.add" && error == "already_reacted"))
        {
            return Result(method, SlackCallOutcome.Ok, null, status) with { Ts = Text(answer, "ts") };
        }

        var outcome = error switch
        {
            "ratelimited" => SlackCallOutcome.RateLimited,
            not null when TransientErrors.Contains(error) => SlackCallOutcome.Transient,
            _ => SlackCallOutcome.Refused,
        };
        return Result(method, outcome, error ?? "unknown_error", status) with
        {
            Needed = Text(answer, "needed"),
            RetryAfter = outcome == SlackCallOutcome.RateLimited ? RetryAfter.Read(response, clock) : null,
        };
    }

    private static HttpContent JsonContent(Action<Utf8JsonWriter> writeBody)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeBody(writer);
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static string? Text(JsonElement answer, string name) =>
        answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static SlackApiResult Result(string method, SlackCallOutcome outcome, string? error, int? status = null) =>
        new() { Method = method, Outcome = outcome, Error = error, StatusCode = status };
}
