using System;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace TorchHub.Hubconf.CSharp;

/// <summary>Reads an assembly file's MVID (changes whenever its code does) without loading it.</summary>
internal static class ModuleVersionId
{
    public static Guid Of(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        return md.GetGuid(md.GetModuleDefinition().Mvid);
    }
}
