using System.Text.Json;

namespace Dagen.StandIns.Dagen;

/// <summary>A table of the invented warehouse.</summary>
public sealed record SampleTable(string Dataset, string Name, long Rows, string Description);

/// <summary>The invented warehouse metadata that the agent stand-in answers from.</summary>
internal sealed class SampleDatasets(IReadOnlyList<SampleTable> tables)
{
    public IReadOnlyList<SampleTable> Tables { get; } = tables;

    public IEnumerable<string> DatasetNames => Tables.Select(t => t.Dataset).Distinct();

    public static SampleDatasets Load(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        if (!json.RootElement.TryGetProperty("datasets", out var datasets)
            || datasets.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException($"{path}: expected an object with a 'datasets' array.");
        }

        var tables = new List<SampleTable>();
        foreach (var dataset in datasets.EnumerateArray())
        {
            var name = dataset.GetProperty("name").GetString()
                ?? throw new InvalidDataException($"{path}: every dataset needs a 'name'.");
            foreach (var table in dataset.GetProperty("tables").EnumerateArray())
            {
                var tableName = table.GetProperty("name").GetString()
                    ?? throw new InvalidDataException($"{path}: a table of '{name}' has no name.");
                tables.Add(new SampleTable(
                    name,
                    tableName,
                    table.GetProperty("rows").GetInt64(),
                    table.TryGetProperty("description", out var d) ? d.GetString() ?? "" : ""));
            }
        }

        return new SampleDatasets(tables);
    }
}
