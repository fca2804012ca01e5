using Bridge.Core.Messages;

namespace Bridge.Core.Doctor;

/// <summary>The names of <see cref="DoctorChecks"/> on the wire: <c>"checks": ["smtp", "dns"]</c>.</summary>
public static class DoctorCheckNames
{
    /// <summary>The checks named; SMTP alone when none are; every unknown name is an error on <c>checks</c>.</summary>
    public static DoctorChecks Parse(IReadOnlyList<string>? names, ValidationErrors errors)
    {
        if (names is null)
        {
            return DoctorChecks.Smtp;
        }

        var checks = (DoctorChecks)0;
        foreach (var name in names)
        {
            switch (name?.Trim().ToLowerInvariant())
            {
                case "smtp":
                    checks |= DoctorChecks.Smtp;
                    break;
                case "dns":
                    checks |= DoctorChecks.Dns;
                    break;
                default:
                    errors.Add("checks", $"'{name}' is not a check; use \"smtp\" and/or \"dns\"");
                    break;
            }
        }

        if (names.Count == 0)
        {
            errors.Add("checks", "must name at least one check: \"smtp\", \"dns\"");
        }

        return checks == 0 ? DoctorChecks.Smtp : checks;
    }
}
