using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TorchHub.Tests.Servers;

/// <summary>A self-signed certificate for 127.0.0.1 and localhost, so tests can run real HTTPS servers.</summary>
public static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> Shared = new(Create);

    /// <summary>The certificate, already trusted by TorchHub's HTTP client in this process.</summary>
    public static X509Certificate2 Loopback
    {
        get
        {
            var certificate = Shared.Value;
            TorchHub.Http.HubHttp.TrustedTestCertificates[certificate.Thumbprint] = true;
            return certificate;
        }
    }

    private static X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=TorchHub test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // Round-trip through PFX so Kestrel gets a key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
