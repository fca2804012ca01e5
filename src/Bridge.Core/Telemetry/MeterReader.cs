using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Bridge.Core.Telemetry;

/// <summary>
/// Reads the <c>Bridge</c> meter in process (a <see cref="MeterListener"/>), so <c>GET /api/metrics</c> serves the
/// same counters and histograms the exporters send, without an exporter. Counters are summed per tag set,
/// observable counters read when a snapshot is taken, histograms kept as cumulative buckets.
/// </summary>
public sealed class MeterReader : IDisposable
{
    /// <summary>Bucket bounds in seconds: SMTP replies take milliseconds to seconds, queue ages up to hours.</summary>
    public static readonly IReadOnlyList<double> Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400];

    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<SeriesKey, Sum> sums = new();
    private readonly ConcurrentDictionary<SeriesKey, Distribution> distributions = new();
    private readonly object observing = new();

    /// <summary>
    /// Reads this host's own meter, not every meter named Bridge in the process: a test process hosts several
    /// Bridges side by side, and each /api/metrics must count only its own work.
    /// </summary>
    public MeterReader(BridgeTelemetry telemetry)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, telemetry.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    /// <summary>Every series now, in a stable order (by instrument, then tags).</summary>
    public IReadOnlyList<MetricSeries> Snapshot()
    {
        lock (observing)
        {
            // Observable counters report their running totals here; they replace, not add.
            listener.RecordObservableInstruments();
            return sums.Select(s => new MetricSeries(s.Key.Instrument, s.Key.Unit, s.Key.Description, s.Key.Tags, MetricKind.Counter, s.Value.Value, 0, []))
                .Concat(distributions.Select(d => d.Value.ToSeries(d.Key)))
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .ThenBy(s => string.Join(',', s.Tags.Select(t => $"{t.Key}={t.Value}")), StringComparer.Ordinal)
                .ToList();
        }
    }

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = new SeriesKey(instrument.Name, instrument.Unit, instrument.Description, TagSet(tags));
        switch (instrument)
        {
            case Histogram<double> or Histogram<long>:
                distributions.GetOrAdd(key, _ => new Distribution()).Add(value);
                break;
            case ObservableCounter<long> or ObservableCounter<double> or ObservableGauge<long> or ObservableGauge<double>:
                sums.GetOrAdd(key, _ => new Sum()).Set(value);
                break;
            default:
                sums.GetOrAdd(key, _ => new Sum()).Add(value);
                break;
        }
    }

    private static string TagSet(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add($"{tag.Key}\u0001{tag.Value}");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join('\u0002', pairs);
    }

    private readonly record struct SeriesKey(string Instrument, string? Unit, string? Description, string TagText)
    {
        public IReadOnlyList<KeyValuePair<string, string>> Tags => TagText.Length == 0
            ? []
            : TagText.Split('\u0002').Select(p => p.Split('\u0001')).Select(p => KeyValuePair.Create(p[0], p[1])).ToList();
    }

    private sealed class Sum
    {
        private readonly Lock gate = new();
        private double value;

        public double Value
        {
            get
            {
                lock (gate)
                {
                    return value;
                }
            }
        }

        public void Add(double amount)
        {
            lock (gate)
            {
                value += amount;
            }
        }

        public void Set(double amount)
        {
            lock (gate)
            {
                value = amount;
            }
        }
    }

    private sealed class Distribution
    {
        private readonly Lock gate = new();
        private readonly long[] counts = new long[Bounds.Count + 1];
        private double sum;

        public void Add(double value)
        {
            var bucket = 0;
            while (bucket < Bounds.Count && value > Bounds[bucket])
            {
                bucket++;
            }

            lock (gate)
            {
                counts[bucket]++;
                sum += value;
            }
        }

        public MetricSeries ToSeries(SeriesKey key)
        {
            lock (gate)
            {
                return new MetricSeries(key.Instrument, key.Unit, key.Description, key.Tags, MetricKind.Histogram, counts.Sum(), sum, [.. counts]);
            }
        }
    }
}

/// <summary>What kind of instrument a series comes from.</summary>
public enum MetricKind
{
    Counter,
    Histogram,
}

/// <summary>
/// One series of the <c>Bridge</c> meter: a counter's total (<see cref="Value"/>), or a histogram's count
/// (<see cref="Value"/>), sum and per-bucket counts (not cumulative; the last bucket is above every bound).
/// </summary>
public sealed record MetricSeries(
    string Name, string? Unit, string? Description, IReadOnlyList<KeyValuePair<string, string>> Tags, MetricKind Kind,
    double Value, double Sum, IReadOnlyList<long> Buckets);
