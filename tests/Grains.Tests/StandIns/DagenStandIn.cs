using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Dagen.Grains.Tests.StandIns;

/// <summary>A workflow as the Dagen stand-in holds it.</summary>
public sealed record StandInWorkflow(string Id, string Name, string Slug, string Status);

/// <summary>A run as the Dagen stand-in holds it; a test may change it to make the run progress.</summary>
public sealed record StandInRun(
    string RunId,
    string WorkflowId,
    string WorkflowName,
    string Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt = null,
    string? Error = null);

/// <summary>A request the Dagen stand-in received.</summary>
public sealed record DagenCall(string Method, string PathAndQuery, string? Authorization, string Body);

/// <summary>
/// A local stand-in of the Dagen workflow API (see dagen-api.md): workflows and runs held in memory, answers with
/// an extra field or two that a client must ignore, every request recorded, and scripted answers for the next
/// requests whose path starts with a given prefix.
/// </summary>
public sealed class DagenStandIn : StandInServer
{
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, StandInWorkflow> _workflows = new();
    private readonly ConcurrentDictionary<string, StandInRun> _runs = new();
    private readonly ConcurrentQueue<DagenCall> _calls = new();
    private readonly List<(string Prefix, StandInAnswer Answer)> _scripts = [];
    private readonly Lock _scriptLock = new();
    private long _lastRun;

    private DagenStandIn(TimeProvider clock) => _clock = clock;

    public IReadOnlyList<DagenCall> Calls => _calls.ToList();

    public static async Task<DagenStandIn> StartAsync(TimeProvider clock)
    {
        var standIn = new DagenStandIn(clock);
        await standIn.StartAsync();
        return standIn;
    }

    public void AddWorkflow(StandInWorkflow workflow) => _workflows[workflow.Id] = workflow;

    public void SetRun(StandInRun run) => _runs[run.RunId] = run;

    public StandInRun? Run(string runId) => _runs.TryGetValue(runId, out var run) ? run : null;

    /// <summary>The runs started of one workflow, oldest first.</summary>
    public IReadOnlyList<StandInRun> RunsOf(string workflowId) =>
        _runs.Values.Where(run => run.WorkflowId == workflowId).OrderBy(run => run.StartedAt).ToList();

    /// <summary>Answers the next requests whose path starts with <paramref name="pathPrefix"/> with these.</summary>
    public void Script(string pathPrefix, params StandInAnswer[] answers)
    {
        lock (_scriptLock)
        {
            _scripts.AddRange(answers.Select(answer => (pathPrefix, answer)));
        }
    }

    public IReadOnlyList<DagenCall> CallsTo(string pathPrefix) =>
        _calls.Where(call => call.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal)).ToList();

    protected override void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Path.Value + context.Request.QueryString.Value;
            _calls.Enqueue(new DagenCall(
                context.Request.Method, path, context.Request.Headers.Authorization.ToString(), body));
            context.Items["body"] = body;

            if (TakeScript(path) is { } answer)
            {
                await Task.Delay(answer.Delay);
                context.Response.StatusCode = answer.Status;
                context.Response.ContentType = answer.ContentType;
                if (answer.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                await context.Response.WriteAsync(answer.Body);
                return;
            }

            await next(context);
        });

        app.MapGet("/api/v1/workflows", () => Results.Json(new
        {
            workflows = _workflows.Values.OrderBy(w => w.Name).Select(w => new
            {
                id = w.Id,
                name = w.Name,
                slug = w.Slug,
                status = w.Status,
                owner = "someone",
            }),
            nextCursor = (string?)null,
        }));

        app.MapPost("/api/v1/workflows/{id}/runs", (string id, HttpContext context) => StartRun(id, context));

        app.MapGet("/api/v1/runs/{runId}", (string runId) =>
            _runs.TryGetValue(runId, out var run) ? Results.Json(ToJson(run)) : Results.NotFound());

        app.MapGet("/api/v1/runs", (int? limit) => Results.Json(new
        {
            runs = _runs.Values
                .OrderByDescending(run => run.StartedAt)
                .Take(limit ?? 20)
                .Select(ToJson),
            total = _runs.Count,
        }));
    }

    private IResult StartRun(string id, HttpContext context)
    {
        if (!_workflows.TryGetValue(id, out var workflow))
        {
            return Results.NotFound();
        }

        if (workflow.Status != "active")
        {
            return Results.Json(new { error = $"Workflow '{workflow.Name}' is {workflow.Status}" }, statusCode: 409);
        }

        using var request = JsonDocument.Parse((string)context.Items["body"]!);
        _ = request.RootElement.GetProperty("trigger").GetProperty("source").GetString();

        var runId = $"run{Interlocked.Increment(ref _lastRun):D4}{Guid.NewGuid():N}";
        var run = new StandInRun(runId, workflow.Id, workflow.Name, "queued", _clock.GetUtcNow());
        _runs[runId] = run;
        return Results.Json(new { runId, status = run.Status, queuePosition = 1 }, statusCode: 201);
    }

    private StandInAnswer? TakeScript(string path)
    {
        lock (_scriptLock)
        {
            var index = _scripts.FindIndex(script => path.StartsWith(script.Prefix, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }

            var answer = _scripts[index].Answer;
            _scripts.RemoveAt(index);
            return answer;
        }
    }

    private static object ToJson(StandInRun run) => new
    {
        runId = run.RunId,
        workflowId = run.WorkflowId,
        workflowName = run.WorkflowName,
        status = run.Status,
        startedAt = run.StartedAt,
        finishedAt = run.FinishedAt,
        error = run.Error,
        nodes = Array.Empty<object>(),
    };
}
