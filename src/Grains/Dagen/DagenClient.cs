using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace Dagen.Grains.Dagen;

/// <summary>
/// <see cref="IDagenClient"/> over a typed <see cref="HttpClient"/> whose handler pipeline (set up in
/// <see cref="DagenServiceCollectionExtensions"/>) bounds each call by a time-out and retries it a few times.
/// Answers are read leniently: unknown fields are ignored, ids may be strings or numbers, a missing optional
/// field or an unreadable date is null.
/// </summary>
internal sealed partial class DagenClient(HttpClient http, ILogger<DagenClient> logger) : IDagenClient
{
    public async Task<IReadOnlyList<DagenWorkflow>> ListWorkflowsAsync(CancellationToken cancellationToken = default)
    {
        const string what = "list the workflows";
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/workflows");
        using var answer = await SendAsync(request, what, cancellationToken);
        EnsureSuccess(answer.Response, what);

        var root = await ReadJsonAsync(answer.Response, what, cancellationToken);
        var workflows = new List<DagenWorkflow>();
        foreach (var item in Items(root, "workflows", what))
        {
            var id = Text(item, "id");
            if (id is null)
            {
                LogSkipped("workflow", "id");
                continue;
            }

            var slug = Text(item, "slug") ?? "";
            workflows.Add(new DagenWorkflow(id, Text(item, "name") ?? (slug.Length > 0 ? slug : id), slug,
                Text(item, "status") ?? ""));
        }

        return workflows;
    }

    public async Task<TriggerOutcome> TriggerRunAsync(
        string workflowId, RunTrigger trigger, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowId);
        ArgumentNullException.ThrowIfNull(trigger);

        const string what = "start the workflow";
        using var request = new HttpRequestMessage(
            HttpMethod.Post, $"api/v1/workflows/{Uri.EscapeDataString(workflowId)}/runs")
        {
            Content = TriggerBody(trigger),
        };
        using var answer = await SendAsync(request, what, cancellationToken);
        var response = answer.Response;

        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            var problem = await TryReadJsonAsync(response, cancellationToken);
            var reason = problem is { } body ? Text(body, "error") : null;
            LogRefused(workflowId);
            return new TriggerOutcome { RefusedBecause = reason ?? "The workflow is not active." };
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return new TriggerOutcome { RefusedBecause = "Dagen has no workflow with this id (any more)." };
        }

        EnsureSuccess(response, what);
        var started = await ReadJsonAsync(response, what, cancellationToken);
        var runId = Text(started, "runId")
            ?? throw new DagenUnavailableException("Dagen accepted the request but named no run; try again.");
        LogStarted(workflowId, runId);
        return new TriggerOutcome { RunId = runId, Status = Text(started, "status") ?? "queued" };
    }

    public async Task<DagenRun?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);

        const string what = "read the run";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/runs/{Uri.EscapeDataString(runId)}");
        using var answer = await SendAsync(request, what, cancellationToken);
        if (answer.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        EnsureSuccess(answer.Response, what);
        var run = ToRun(await ReadJsonAsync(answer.Response, what, cancellationToken));
        return run ?? throw Unreadable(what);
    }

    public async Task<IReadOnlyList<DagenRun>> ListRunsAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        const string what = "list the recent runs";
        var path = string.Create(CultureInfo.InvariantCulture, $"api/v1/runs?limit={limit}");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var answer = await SendAsync(request, what, cancellationToken);
        EnsureSuccess(answer.Response, what);

        var root = await ReadJsonAsync(answer.Response, what, cancellationToken);
        var runs = new List<DagenRun>();
        foreach (var item in Items(root, "runs", what))
        {
            if (ToRun(item) is { } run)
            {
                runs.Add(run);
            }
            else
            {
                LogSkipped("run", "runId");
            }
        }

        return runs;
    }

    private async Task<Answer> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            var response = await http.SendAsync(request, cancellationToken);
            LogAnswered(request.Method.Method, request.RequestUri?.OriginalString, (int)response.StatusCode);
            return new Answer(response);
        }
        catch (Exception exception) when (exception is TimeoutRejectedException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogUnavailable(what, "time-out");
            throw new DagenUnavailableException(
                $"Dagen did not answer in time when asked to {what}. Please try again in a few minutes.", exception);
        }
        catch (HttpRequestException exception)
        {
            LogUnavailable(what, exception.HttpRequestError.ToString());
            throw new DagenUnavailableException(
                $"Dagen cannot be reached right now to {what}. Please try again in a few minutes.", exception);
        }
    }

    private void EnsureSuccess(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300)
        {
            return;
        }

        LogUnavailable(what, $"HTTP {status}");
        throw new DagenUnavailableException(status switch
        {
            401 or 403 => $"Dagen refused the integration's credentials (HTTP {status}) when asked to {what}; "
                + "an admin needs to check the Dagen API token.",
            429 or >= 500 => $"Dagen is having trouble (HTTP {status}) and could not {what}. "
                + "Please try again in a few minutes.",
            _ => $"Dagen turned down the request to {what} (HTTP {status}).",
        });
    }

    private static async Task<JsonElement> ReadJsonAsync(
        HttpResponseMessage response, string what, CancellationToken cancellationToken) =>
        await TryReadJsonAsync(response, cancellationToken) is { ValueKind: JsonValueKind.Object } root
            ? root
            : throw Unreadable(what);

    private static async Task<JsonElement?> TryReadJsonAsync(
        HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement root, string name, string what) =>
        root.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object).ToList()
            : throw Unreadable(what);

    private static DagenRun? ToRun(JsonElement item)
    {
        var runId = Text(item, "runId");
        return runId is null
            ? null
            : new DagenRun
            {
                RunId = runId,
                WorkflowId = Text(item, "workflowId"),
                WorkflowName = Text(item, "workflowName"),
                Status = Text(item, "status") ?? "unknown",
                StartedAt = Time(item, "startedAt"),
                FinishedAt = Time(item, "finishedAt"),
                Error = Text(item, "error"),
            };
    }

    /// <summary>A string field, or a number given where a string was expected; null when missing or empty.</summary>
    private static string? Text(JsonElement item, string name)
    {
        if (!item.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static DateTimeOffset? Time(JsonElement item, string name) =>
        Text(item, name) is { } text && DateTimeOffset.TryParse(
            text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    private static ByteArrayContent TriggerBody(RunTrigger trigger)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("trigger");
            writer.WriteString("source", "slack");
            writer.WriteString("teamId", trigger.TeamId);
            writer.WriteString("userId", trigger.UserId);
            writer.WriteString("channelId", trigger.SlackChannel);
            writer.WriteString("threadTs", trigger.ThreadTs);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        return content;
    }

    private static DagenUnavailableException Unreadable(string what) =>
        new($"Dagen answered in a form the integration does not understand when asked to {what}.");

    /// <summary>Disposes the response with the call, whatever path the call takes.</summary>
    private sealed class Answer(HttpResponseMessage response) : IDisposable
    {
        public HttpResponseMessage Response => response;

        public void Dispose() => response.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dagen {Method} {Path} answered {Status}")]
    private partial void LogAnswered(string method, string? path, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dagen started run {RunId} of workflow {WorkflowId}")]
    private partial void LogStarted(string workflowId, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dagen refused to start workflow {WorkflowId} (409)")]
    private partial void LogRefused(string workflowId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dagen listed a {Kind} without {Field}; it is skipped")]
    private partial void LogSkipped(string kind, string field);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dagen could not {What}: {Reason}")]
    private partial void LogUnavailable(string what, string reason);
}
