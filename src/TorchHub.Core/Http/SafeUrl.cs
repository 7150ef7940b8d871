using System;

namespace TorchHub.Http;

/// <summary>
/// A URL as it may be shown or stored: without the user name and password of
/// <c>https://user:secret@host/...</c>, which must never reach a message, -Verbose or a
/// <c>.torchhub/*.json</c> file.
/// </summary>
internal static class SafeUrl
{
    public static string Display(Uri uri)
    {
        if (!uri.IsAbsoluteUri || uri.UserInfo.Length == 0) return uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString;
        return new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
    }

    /// <summary>The key a partial download is kept under: no credentials, no query (signed URLs change it on every request).</summary>
    public static string ResumeKey(Uri uri) => Display(new Uri(uri.GetLeftPart(UriPartial.Path)));
}
