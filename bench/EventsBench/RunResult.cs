using System.Globalization;

namespace Dagen.Bench.Events;

/// <summary>What one measured run gave: per-delivery status and latency from its planned send time.</summary>
internal sealed class RunResult(double[] latencies, int[] statuses, TimeSpan elapsed)
{
    public int Acknowledged => statuses.Count(s => s is >= 200 and < 300);

    public int Failed => statuses.Length - Acknowledged;

    public void Print(int rate)
    {
        var acked = latencies.Where((_, i) => statuses[i] is >= 200 and < 300).Order().ToArray();
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(inv,
            "sent {0} at {1}/s in {2:F1} s; acknowledged {3} (2xx), failed {4}",
            statuses.Length, rate, elapsed.TotalSeconds, acked.Length, Failed));
        Console.WriteLine(string.Format(inv, "acks/s {0:F0}", acked.Length / elapsed.TotalSeconds));
        if (acked.Length > 0)
        {
            Console.WriteLine(string.Format(inv,
                "ack latency ms: p50 {0:F1}  p90 {1:F1}  p99 {2:F1}  max {3:F1}",
                Percentile(acked, 0.50), Percentile(acked, 0.90), Percentile(acked, 0.99), acked[^1]));
        }

        foreach (var group in statuses.Where(s => s is < 200 or >= 300).GroupBy(s => s))
        {
            var status = group.Key == 0 ? "no answer" : group.Key.ToString(inv);
            Console.WriteLine(string.Format(inv, "status {0}: {1}", status, group.Count()));
        }
    }

    /// <summary>One line per second of planned sends: where in the run the slow acknowledgements were.</summary>
    public void PrintTimeline(int rate)
    {
        var inv = CultureInfo.InvariantCulture;
        for (var start = 0; start < latencies.Length; start += rate)
        {
            var second = latencies.Skip(start).Take(rate)
                .Where((_, i) => statuses[start + i] is >= 200 and < 300).Order().ToArray();
            if (second.Length > 0)
            {
                Console.WriteLine(string.Format(inv, "  second {0,3}: p50 {1,7:F1}  p99 {2,7:F1}  max {3,7:F1}",
                    start / rate + 1, Percentile(second, 0.50), Percentile(second, 0.99), second[^1]));
            }
        }
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
