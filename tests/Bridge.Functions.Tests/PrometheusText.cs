namespace Bridge.Functions.Tests;

/// <summary>Reads series out of the Prometheus text that <c>GET /api/metrics?format=prometheus</c> answers.</summary>
internal static class PrometheusText
{
    /// <summary>The value on the exposition line for <paramref name="series"/>, 0 when the series is not there yet.</summary>
    public static double Value(string exposition, string series) =>
        exposition.Split('\n').Where(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            .Select(l => double.Parse(l[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            .SingleOrDefault();
}
