using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Dagen.StandIns.Slack;

/// <summary>
/// Sends events to the app's Request URL the way Slack does: signed with the signing secret, an answer
/// expected within the response time-out, and a failed delivery sent again after Slack's retry delays with
/// <c>X-Slack-Retry-Num</c> and <c>X-Slack-Retry-Reason</c>, unless the gateway said <c>X-Slack-No-Retry: 1</c>.
/// </summary>
internal sealed partial class EventSender : IAsyncDisposable
{
    public const string RetryNumHeader = "X-Slack-Retry-Num";

    public const string RetryReasonHeader = "X-Slack-Retry-Reason";

    public const string NoRetryHeader = "X-Slack-No-Retry";

    private readonly LocalSlackOptions _options;
    private readonly WorkspaceState _state;
    private readonly TimeProvider _time;
    private readonly ILogger<EventSender> _logger;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, SentEvent> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _retries = new();
    private int _disposed;

    public EventSender(LocalSlackOptions options, WorkspaceState state, TimeProvider time, ILogger<EventSender> logger)
    {
        _options = options;
        _state = state;
        _time = time;
        _logger = logger;

        // No proxy and no redirects: events go straight to the loopback Request URL or nowhere.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Slackbot/1.0 (local-standin)");
    }

    /// <summary>Sends the event once and, if that fails, goes on retrying in the background.</summary>
    public async Task<EventDeliveryRecord> SendAsync(Uri url, OutgoingEvent outgoing)
    {
        var sent = _sent.GetOrAdd(outgoing.EventId, _ => new SentEvent(url, outgoing));
        var first = await AttemptAsync(sent, retryNum: 0, retryReason: null);
        if (!first.Succeeded && !first.NoRetry && _options.RetryDelays.Count > 0)
        {
            Track(RetryAsync(sent, first));
        }

        return first;
    }

    /// <summary>
    /// Sends an event again, as Slack does after a time-out even while the first copy is being handled:
    /// same body and <c>event_id</c>, fresh signature, the next <c>X-Slack-Retry-Num</c>.
    /// </summary>
    public Task<EventDeliveryRecord> RedeliverAsync(string eventId, string reason)
    {
        if (!_sent.TryGetValue(eventId, out var sent))
        {
            throw new KeyNotFoundException($"No event '{eventId}' was sent by this workspace.");
        }

        return AttemptAsync(sent, Interlocked.Increment(ref sent.LastRetryNum), reason);
    }

    /// <summary>
    /// Slack's check when a Request URL is saved: a signed <c>url_verification</c> whose challenge must come
    /// back, as plain text or as <c>{"challenge":…}</c>.
    /// </summary>
    public async Task<(bool Verified, string Detail)> VerifyAsync(Uri url)
    {
        var (verification, challenge) = OutgoingEvent.UrlVerification();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_options.ResponseTimeout);
        try
        {
            var sentAt = _time.GetUtcNow();
            using var request = Sign(url, verification, 0, null, sentAt);
            using var response = await _http.SendAsync(request, timeout.Token);
            var answer = await response.Content.ReadAsStringAsync(timeout.Token);
            var verified = response.IsSuccessStatusCode && ChallengeMatches(answer, challenge);
            var detail = verified
                ? "Verified: the Request URL answered the challenge."
                : response.IsSuccessStatusCode
                    ? $"Your URL answered HTTP {(int)response.StatusCode} but not with the challenge."
                    : $"Your URL answered HTTP {(int)response.StatusCode}.";
            Record(verification, 0, null, (int)response.StatusCode, verified ? null : detail, false, sentAt,
                TimeSpan.Zero);
            LogVerification(verified, (int)response.StatusCode);
            return (verified, detail);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            var detail = exception is OperationCanceledException
                ? $"Your URL didn't respond within {_options.ResponseTimeout.TotalSeconds:0.#} s."
                : "Your URL didn't respond: nothing accepts connections there.";
            Record(verification, 0, null, null, detail, false, _time.GetUtcNow(), TimeSpan.Zero);
            LogVerification(false, null);
            return (false, detail);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_retries.Keys);
        }
        catch (OperationCanceledException)
        {
            // Retries still waiting when the stand-in stops are dropped, as Slack would drop them for a dead app.
        }

        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task RetryAsync(SentEvent sent, EventDeliveryRecord first)
    {
        var last = first;
        foreach (var delay in _options.RetryDelays)
        {
            await Task.Delay(delay, _time, _stopping.Token);
            var retryNum = Interlocked.Increment(ref sent.LastRetryNum);
            last = await AttemptAsync(sent, retryNum, RetryReasonOf(last));
            if (last.Succeeded || last.NoRetry)
            {
                return;
            }
        }

        LogGaveUp(sent.Event.EventId, _options.RetryDelays.Count);
    }

    private async Task<EventDeliveryRecord> AttemptAsync(SentEvent sent, int retryNum, string? retryReason)
    {
        var outgoing = sent.Event;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_options.ResponseTimeout);
        var sentAt = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        try
        {
            using var request = Sign(sent.Url, outgoing, retryNum, retryReason, sentAt);
            using var response = await _http.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            var noRetry = response.Headers.TryGetValues(NoRetryHeader, out var values) && values.Contains("1");
            var failure = response.IsSuccessStatusCode ? null : "http_error";
            LogAttempt(outgoing.EventId, outgoing.EventType, retryNum, status);
            return Record(outgoing, retryNum, retryReason, status, failure, noRetry, sentAt, clock.Elapsed);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            LogNoAnswer(outgoing.EventId, retryNum, "http_timeout");
            return Record(outgoing, retryNum, retryReason, null, "http_timeout", false, sentAt, clock.Elapsed);
        }
        catch (HttpRequestException)
        {
            LogNoAnswer(outgoing.EventId, retryNum, "connection_failed");
            return Record(outgoing, retryNum, retryReason, null, "connection_failed", false, sentAt, clock.Elapsed);
        }
    }

    private HttpRequestMessage Sign(
        Uri url, OutgoingEvent outgoing, int retryNum, string? retryReason, DateTimeOffset at)
    {
        var timestamp = SlackSignature.Timestamp(at);
        var content = new ByteArrayContent(outgoing.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add(SlackSignature.TimestampHeader, timestamp);
        request.Headers.Add(
            SlackSignature.SignatureHeader, SlackSignature.Compute(_options.SigningSecret, timestamp, outgoing.Body));
        if (retryNum > 0)
        {
            request.Headers.Add(RetryNumHeader, retryNum.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add(RetryReasonHeader, retryReason ?? "http_timeout");
        }

        return request;
    }

    private EventDeliveryRecord Record(
        OutgoingEvent outgoing, int retryNum, string? retryReason, int? status, string? failure, bool noRetry,
        DateTimeOffset sentAt, TimeSpan elapsed)
    {
        var record = new EventDeliveryRecord
        {
            EventId = outgoing.EventId,
            EventType = outgoing.EventType,
            RetryNum = retryNum,
            RetryReason = retryNum > 0 ? retryReason ?? "http_timeout" : null,
            StatusCode = status,
            Failure = failure,
            NoRetry = noRetry,
            At = sentAt,
            Elapsed = elapsed,
        };
        _state.Record(record);
        return record;
    }

    private void Track(Task retry)
    {
        _retries[retry] = 0;
        retry.ContinueWith(
            done => _retries.TryRemove(done, out _),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static string RetryReasonOf(EventDeliveryRecord failed) => failed.Failure ?? "unknown_error";

    private static bool ChallengeMatches(string answer, string challenge)
    {
        if (answer.Trim() == challenge)
        {
            return true;
        }

        try
        {
            using var json = JsonDocument.Parse(answer);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("challenge", out var value)
                && value.ValueKind == JsonValueKind.String
                && value.GetString() == challenge;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed class SentEvent(Uri url, OutgoingEvent outgoing)
    {
        public Uri Url { get; } = url;

        public OutgoingEvent Event { get; } = outgoing;

        public int LastRetryNum;
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Event {EventId} ({EventType}) attempt {RetryNum}: the gateway answered HTTP {Status}")]
    private partial void LogAttempt(string eventId, string eventType, int retryNum, int status);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId} attempt {RetryNum}: no answer from the Request URL ({Reason})")]
    private partial void LogNoAnswer(string eventId, int retryNum, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId} still not accepted after {Retries} retries; Slack would give up here")]
    private partial void LogGaveUp(string eventId, int retries);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Request URL verification: verified {Verified} (HTTP {Status})")]
    private partial void LogVerification(bool verified, int? status);
}
