namespace Bridge.Core.Deliverability;

/// <summary>One DKIM key, bound from <c>Bridge:Dkim:&lt;name&gt;</c>: mail whose From domain is <see cref="Domain"/> is signed with it.</summary>
public sealed class DkimDomain
{
    /// <summary>The From domain this key signs for (the signature's <c>d=</c>).</summary>
    public string Domain { get; set; } = "";

    /// <summary>The selector (<c>s=</c>): the public key is published at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</summary>
    public string Selector { get; set; } = "";

    /// <summary>The name of the secret that holds the PEM private key (never the key itself).</summary>
    public string PrivateKeySecret { get; set; } = "";

    /// <summary>Where the public key is published.</summary>
    public string RecordName => $"{Selector}._domainkey.{Domain}";
}
