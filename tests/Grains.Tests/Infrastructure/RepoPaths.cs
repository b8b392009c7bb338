namespace Dagen.Grains.Tests.Infrastructure;

/// <summary>Where the built silo and gateway are, next to this test assembly's own build.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>Debug</c> or <c>Release</c>: whatever this test assembly was built as.</summary>
    public static string Configuration { get; } =
        Directory.GetParent(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!.Name;

    public static string SiloDll => Built("Silo", "Dagen.Silo.dll");

    public static string GatewayDll => Built("Gateway", "Dagen.Gateway.dll");

    private static string Built(string project, string file)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{file} is not built; run dotnet build Dagen.Orleans.sln first.", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dagen.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Dagen.Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
