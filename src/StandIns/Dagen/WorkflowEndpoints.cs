using System.Globalization;
using System.Text.Json;

namespace Dagen.StandIns.Dagen;

/// <summary>
/// Dagen's workflow REST API under <c>/api/v1</c>, as described in dagen-api.md: list workflows, start a run
/// (409 when the workflow is not active), read one run, list recent runs. Every call needs the bearer token.
/// </summary>
internal static partial class WorkflowEndpoints
{
    private const int DefaultRunLimit = 10;

    private const int MaxRunLimit = 100;

    public static void MapWorkflowApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<LocalDagenOptions>();
            return BearerCheck.IsAuthorized(context.HttpContext.Request, options.ApiToken)
                ? await next(context)
                : Results.Json(
                    new { error = "Missing or wrong bearer token; send Authorization: Bearer <Dagen:ApiToken>." },
                    statusCode: StatusCodes.Status401Unauthorized);
        });
        api.MapGet("/workflows", ListWorkflows);
        api.MapPost("/workflows/{id}/runs", StartRunAsync);
        api.MapGet("/runs/{runId}", GetRun);
        api.MapGet("/runs", ListRuns);
    }

    private static IResult ListWorkflows(WorkflowCatalog catalog) => Results.Json(new
    {
        workflows = catalog.All.Select(w => new { id = w.Id, name = w.Name, slug = w.Slug, status = w.Status }),
    });

    private static async Task<IResult> StartRunAsync(
        string id, HttpRequest request, WorkflowCatalog catalog, RunLedger runs, ILoggerFactory loggers)
    {
        var trigger = await ReadTriggerAsync(request);
        if (trigger.Error is { } error)
        {
            return Results.Json(new { error }, statusCode: StatusCodes.Status400BadRequest);
        }

        if (catalog.Find(id) is not { } workflow)
        {
            return Results.Json(
                new { error = $"No workflow with id '{id}'." }, statusCode: StatusCodes.Status404NotFound);
        }

        if (workflow.Status != "active")
        {
            return Results.Json(
                new { error = $"Workflow '{workflow.Name}' is {workflow.Status}, not active; activate it first." },
                statusCode: StatusCodes.Status409Conflict);
        }

        var run = runs.Start(workflow, trigger.Trigger!);
        LogRunStarted(loggers.CreateLogger("Dagen.StandIns.Dagen.Workflows"), run.RunId, workflow.Id,
            workflow.Run.Seconds, workflow.Run.Outcome);
        return Results.Json(new { runId = run.RunId, status = run.Status }, statusCode: StatusCodes.Status201Created);
    }

    private static IResult GetRun(string runId, RunLedger runs) =>
        runs.Find(runId) is { } run
            ? Results.Json(RunJson(run))
            : Results.Json(new { error = $"No run with id '{runId}'." }, statusCode: StatusCodes.Status404NotFound);

    private static IResult ListRuns(HttpRequest request, RunLedger runs)
    {
        var limit = DefaultRunLimit;
        var given = request.Query["limit"].ToString();
        if (given.Length > 0
            && (!int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out limit)
                || limit is < 1 or > MaxRunLimit))
        {
            return Results.Json(
                new { error = $"limit must be a whole number from 1 to {MaxRunLimit}." },
                statusCode: StatusCodes.Status400BadRequest);
        }

        return Results.Json(new { runs = runs.Latest(limit).Select(RunJson) });
    }

    private static object RunJson(RunView run) => new
    {
        runId = run.RunId,
        workflowId = run.WorkflowId,
        workflowName = run.WorkflowName,
        status = run.Status,
        startedAt = run.StartedAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        finishedAt = run.FinishedAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        error = run.Error,
    };

    private static async Task<(RunTriggerRecord? Trigger, string? Error)> ReadTriggerAsync(HttpRequest request)
    {
        const string Expected =
            "The body must be JSON {\"trigger\":{\"source\":\"slack\",\"teamId\",\"userId\",\"channelId\","
            + "\"threadTs\"}}.";
        try
        {
            using var json = await JsonDocument.ParseAsync(
                request.Body, cancellationToken: request.HttpContext.RequestAborted);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("trigger", out var trigger)
                || trigger.ValueKind != JsonValueKind.Object
                || Text(trigger, "source") is not { } source)
            {
                return (null, Expected);
            }

            return (new RunTriggerRecord(source, Text(trigger, "teamId"), Text(trigger, "userId"),
                Text(trigger, "channelId"), Text(trigger, "threadTs")), null);
        }
        catch (JsonException)
        {
            return (null, Expected);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Run {RunId} of workflow {WorkflowId} started; it will take {Seconds}s and end {Outcome}")]
    private static partial void LogRunStarted(
        ILogger logger, string runId, string workflowId, int seconds, string outcome);
}
