using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Dagen.StandIns.Dagen;

/// <summary>
/// The local Dagen's own page at <c>/</c> (workflows and runs, with a button to activate or pause a workflow)
/// and JSON for tests: runs with their triggers, and the chat requests the agents received.
/// </summary>
internal static class DagenPageEndpoints
{
    public static void MapDagenPage(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", Page);
        endpoints.MapGet("/healthz", () => Results.Text("ok: local Dagen stand-in (not Dagen)"));
        endpoints.MapGet("/local/runs", (RunLedger runs) => Results.Json(runs.Latest(int.MaxValue)));
        endpoints.MapGet("/local/chats", (ConcurrentQueue<RecordedChat> chats) => Results.Json(chats.ToArray()));
        endpoints.MapPost("/local/workflows/{id}/status", SetStatusAsync);
    }

    private static async Task<IResult> SetStatusAsync(string id, HttpRequest request, WorkflowCatalog catalog)
    {
        var status = request.HasFormContentType
            ? (await request.ReadFormAsync()).TryGetValue("status", out var value) ? value.ToString() : ""
            : request.Query["status"].ToString();
        try
        {
            if (!catalog.SetStatus(id, status))
            {
                return Results.Json(
                    new { error = $"No workflow with id '{id}'." }, statusCode: StatusCodes.Status404NotFound);
            }
        }
        catch (ArgumentException exception)
        {
            return Results.Json(new { error = exception.Message }, statusCode: StatusCodes.Status400BadRequest);
        }

        return request.HasFormContentType ? Results.Redirect("/") : Results.Json(catalog.Find(id));
    }

    private static IResult Page(WorkflowCatalog catalog, RunLedger runs)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

        var html = new StringBuilder();
        html.Append("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
            <title>Local Dagen (stand-in)</title>
            <style>body{font:15px system-ui,sans-serif;margin:0}.standin-banner{background:#fff4d6;padding:6px 16px;
            border-bottom:1px solid #e8c66a;font-size:13px}main{padding:8px 16px}table{border-collapse:collapse}
            td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}.failed{color:#c00}
            .success{color:#1d7a46}form{display:inline}</style></head><body>
            <div class="standin-banner"><b>Local Dagen — development stand-in, not Dagen.</b>
            Sample workflows from samples/workflows.json; runs succeed or fail as that file says.</div><main>
            <h1>Workflows</h1><table>
            <tr><th>Name</th><th>Slug</th><th>Id</th><th>Status</th><th>A run</th><th></th></tr>
            """);
        foreach (var w in catalog.All)
        {
            var next = w.Status == "active" ? "paused" : "active";
            html.Append($"<tr><td>{E(w.Name)}</td><td>{E(w.Slug)}</td><td>{E(w.Id)}</td><td>{E(w.Status)}</td>")
                .Append($"<td>{w.Run.Seconds}s, {E(w.Run.Outcome)} {E(w.Run.Error)}</td>")
                .Append($"<td><form method=\"post\" action=\"/local/workflows/{E(w.Id)}/status\">")
                .Append($"<input type=\"hidden\" name=\"status\" value=\"{next}\">")
                .Append($"<button>{(next == "active" ? "Activate" : "Pause")}</button></form></td></tr>");
        }

        html.Append("</table><h1>Runs</h1><table><tr><th>Run</th><th>Workflow</th><th>Status</th><th>Started</th>")
            .Append("<th>Finished</th><th>Error</th><th>Asked by</th></tr>");
        foreach (var r in runs.Latest(50))
        {
            html.Append($"<tr><td>{E(r.RunId[..8])}…</td><td>{E(r.WorkflowName)}</td>")
                .Append($"<td class=\"{E(r.Status)}\">{E(r.Status)}</td><td>{r.StartedAt:HH:mm:ss}</td>")
                .Append($"<td>{r.FinishedAt:HH:mm:ss}</td><td>{E(r.Error)}</td>")
                .Append($"<td>{E(r.Trigger.Source)} {E(r.Trigger.UserId)}</td></tr>");
        }

        html.Append("</table><p>APIs: <code>/api/v1</code> (workflows, runs) and <code>/v1</code> (agents).</p>")
            .Append("</main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
