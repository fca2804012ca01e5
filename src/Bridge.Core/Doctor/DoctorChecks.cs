namespace Bridge.Core.Doctor;

/// <summary>What a diagnosis covers: the SMTP conversation, the sender domain's DNS (deliverability), or both.</summary>
[Flags]
public enum DoctorChecks
{
    Smtp = 1,
    Dns = 2,
    All = Smtp | Dns,
}
