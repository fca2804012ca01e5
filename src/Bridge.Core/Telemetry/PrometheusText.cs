using System.Globalization;
using System.Text;

namespace Bridge.Core.Telemetry;

/// <summary>
/// Writes meter series in the Prometheus text exposition format (version 0.0.4): names with dots as
/// underscores, the unit as a suffix (seconds), <c>_total</c> on counters (their family name too), cumulative <c>_bucket</c>s with
/// <c>le</c>, <c>_sum</c> and <c>_count</c> on histograms.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(IReadOnlyList<MetricSeries> series)
    {
        var text = new StringBuilder();
        foreach (var family in series.GroupBy(s => s.Name))
        {
            var first = family.First();
            var name = MetricName(first) + (first.Kind == MetricKind.Counter ? "_total" : "");
            text.Append("# HELP ").Append(name).Append(' ').Append(Escape(first.Description ?? first.Name, quoted: false)).Append('\n');
            text.Append("# TYPE ").Append(name).Append(first.Kind == MetricKind.Counter ? " counter\n" : " histogram\n");
            foreach (var one in family)
            {
                if (one.Kind == MetricKind.Counter)
                {
                    Line(text, name, one.Tags, null, one.Value);
                    continue;
                }

                long cumulative = 0;
                for (var bucket = 0; bucket < one.Buckets.Count; bucket++)
                {
                    cumulative += one.Buckets[bucket];
                    var le = bucket < MeterReader.Bounds.Count ? Number(MeterReader.Bounds[bucket]) : "+Inf";
                    Line(text, name + "_bucket", one.Tags, le, cumulative);
                }

                Line(text, name + "_sum", one.Tags, null, one.Sum);
                Line(text, name + "_count", one.Tags, null, one.Value);
            }
        }

        return text.ToString();
    }

    /// <summary><c>bridge.delivery.duration</c> in s becomes <c>bridge_delivery_duration_seconds</c>; a <c>{message}</c> unit adds nothing.</summary>
    internal static string MetricName(MetricSeries series)
    {
        var name = Sanitize(series.Name);
        return series.Unit == "s" ? name + "_seconds" : name;
    }

    private static void Line(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> tags, string? le, double value)
    {
        text.Append(name);
        if (tags.Count > 0 || le is not null)
        {
            text.Append('{');
            var labels = tags.Select(t => $"{Sanitize(t.Key)}=\"{Escape(t.Value, quoted: true)}\"");
            if (le is not null)
            {
                labels = labels.Append($"le=\"{le}\"");
            }

            text.Append(string.Join(',', labels)).Append('}');
        }

        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Sanitize(string name) =>
        new(name.Select((c, i) => char.IsAsciiLetterOrDigit(c) && !(i == 0 && char.IsAsciiDigit(c)) || c == '_' ? c : '_').ToArray());

    private static string Escape(string value, bool quoted)
    {
        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return quoted ? escaped.Replace("\"", "\\\"", StringComparison.Ordinal) : escaped;
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
