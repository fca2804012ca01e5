namespace Bridge.Bench;

/// <summary>Latency samples in milliseconds, and their percentiles (nearest rank).</summary>
public sealed class Latencies
{
    private readonly List<double> samples = [];

    public int Count
    {
        get
        {
            lock (samples)
            {
                return samples.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (samples)
        {
            samples.Add(milliseconds);
        }
    }

    public double Percentile(double p)
    {
        lock (samples)
        {
            if (samples.Count == 0)
            {
                return double.NaN;
            }

            var sorted = samples.Order().ToArray();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
            return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
    }
}
