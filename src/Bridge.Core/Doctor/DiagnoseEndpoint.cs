using Bridge.Core.Auth;
using Bridge.Core.Delivery;
using Bridge.Core.Http;
using Bridge.Core.Messages;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Core.Doctor;

/// <summary>
/// <c>POST /api/v1/smtp/diagnose</c> (admin): diagnose a configured or inline SMTP profile step by step.
/// The answer is 200 with the diagnosis whether or not the profile works; <c>passed</c> says which.
/// </summary>
public sealed class DiagnoseEndpoint(ApiGate gate, JsonBody body, IOptions<SmtpOptions> smtp, SmtpDoctor doctor)
{
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var admission = gate.Admit(request, ApiScope.Admin);
        if (admission.Caller is not { } caller)
        {
            return admission.Refusal!;
        }

        var read = await body.ReadAsync<DiagnoseRequest>(request, cancellationToken).ConfigureAwait(false);
        if (read.Problem is not null)
        {
            return read.Problem;
        }

        var errors = new ValidationErrors();
        if (read.Value!.ToTarget(smtp.Value, errors) is not { } target)
        {
            return Problems.Validation(errors.ToDictionary());
        }

        if (target.ProfileName is { } name && !caller.MayUseProfile(name))
        {
            return Problems.Forbidden("profile-not-allowed", $"API key '{caller.KeyName}' may not use SMTP profile '{name}'.");
        }

        var diagnosis = await doctor.DiagnoseAsync(target, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(DiagnosisView.Of(diagnosis));
    }
}
