using System.Text.Json;

namespace Dagen.StandIns.Dagen;

/// <summary>How a run of a sample workflow behaves in the stand-in: how long it takes and how it ends.</summary>
public sealed record RunBehaviour(int Seconds, string Outcome, string? Error);

/// <summary>A sample workflow. <see cref="Status"/> is <c>active</c>, <c>paused</c> or <c>draft</c>.</summary>
public sealed record SampleWorkflow(string Id, string Name, string Slug, string Status, RunBehaviour Run);

/// <summary>The sample workflows, read from a JSON file at start; statuses can be changed while running.</summary>
internal sealed class WorkflowCatalog
{
    private static readonly string[] Statuses = ["active", "paused", "draft"];

    private readonly Lock _lock = new();
    private readonly List<SampleWorkflow> _workflows;

    private WorkflowCatalog(List<SampleWorkflow> workflows)
    {
        _workflows = workflows;
    }

    public IReadOnlyList<SampleWorkflow> All
    {
        get { lock (_lock) { return [.. _workflows]; } }
    }

    public SampleWorkflow? Find(string id)
    {
        lock (_lock)
        {
            return _workflows.FirstOrDefault(w => w.Id == id);
        }
    }

    /// <summary>Changes a workflow's status, as a person would in Dagen's UI. False when the id is unknown.</summary>
    public bool SetStatus(string id, string status)
    {
        if (!Statuses.Contains(status))
        {
            throw new ArgumentException($"'{status}' is not a workflow status; use active, paused or draft.");
        }

        lock (_lock)
        {
            var index = _workflows.FindIndex(w => w.Id == id);
            if (index < 0)
            {
                return false;
            }

            _workflows[index] = _workflows[index] with { Status = status };
            return true;
        }
    }

    /// <summary>
    /// Reads and checks the file; a mistake throws an <see cref="InvalidDataException"/> naming the entry.
    /// </summary>
    public static WorkflowCatalog Load(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        if (!json.RootElement.TryGetProperty("workflows", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: expected an object with a 'workflows' array.");
        }

        var workflows = new List<SampleWorkflow>();
        foreach (var entry in list.EnumerateArray())
        {
            var workflow = Read(entry, path, workflows.Count);
            if (workflows.Any(w => w.Id == workflow.Id || w.Slug == workflow.Slug))
            {
                throw new InvalidDataException($"{path}: workflow '{workflow.Id}' repeats an id or slug.");
            }

            workflows.Add(workflow);
        }

        return new WorkflowCatalog(workflows);
    }

    private static SampleWorkflow Read(JsonElement entry, string path, int index)
    {
        string Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(value.GetString())
                ? value.GetString()!
                : throw new InvalidDataException($"{path}: workflow #{index + 1} needs a text '{name}'.");

        var id = Text(entry, "id");
        var status = Text(entry, "status");
        if (!Statuses.Contains(status))
        {
            throw new InvalidDataException(
                $"{path}: workflow '{id}' has status '{status}'; use active, paused or draft.");
        }

        if (!entry.TryGetProperty("run", out var run) || run.ValueKind != JsonValueKind.Object
            || !run.TryGetProperty("seconds", out var seconds) || !seconds.TryGetInt32(out var duration)
            || duration is < 1 or > 3600)
        {
            throw new InvalidDataException(
                $"{path}: workflow '{id}' needs \"run\": {{\"seconds\": 1 to 3600, \"outcome\": \"success\"}}.");
        }

        var outcome = Text(run, "outcome");
        if (outcome is not ("success" or "failed" or "cancelled"))
        {
            throw new InvalidDataException($"{path}: workflow '{id}' has outcome '{outcome}'; use success or failed.");
        }

        var error = run.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
            ? e.GetString()
            : null;
        if (outcome == "failed" && string.IsNullOrWhiteSpace(error))
        {
            throw new InvalidDataException($"{path}: workflow '{id}' fails, so its run needs an 'error' text.");
        }

        return new SampleWorkflow(id, Text(entry, "name"), Text(entry, "slug"), status,
            new RunBehaviour(duration, outcome, outcome == "failed" ? error : null));
    }
}
