using System.Diagnostics;

namespace Dagen.EndToEnd.Tests.Infrastructure;

/// <summary>Runs the Dagen.StandIns program (built beside the tests) as a person would in a shell.</summary>
public static class StandInsProgram
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public sealed record Outcome(int ExitCode, string Output, string Errors);

    /// <summary>Starts the program; the caller reads its outcome with <see cref="FinishAsync"/>.</summary>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var program = Path.Combine(AppContext.BaseDirectory, "Dagen.StandIns.dll");
        Assert.True(File.Exists(program), $"{program} was not built beside the tests.");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    public static async Task<Outcome> FinishAsync(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(Limit);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"Dagen.StandIns did not finish within {Limit}.");
            }

            return new Outcome(process.ExitCode, await output, await errors);
        }
    }

    public static Task<Outcome> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        FinishAsync(Start(environment, args));
}
