using System;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace DurableGen.Deployment;

/// <summary>
/// Reads the deployment manifest out of a built assembly's metadata, without loading the assembly (it may be built for
/// another architecture, and loading runs nothing we need).
/// </summary>
public static class ManifestReader
{
    /// <summary>The manifest of the assembly at <paramref name="assemblyPath"/>.</summary>
    /// <exception cref="IOException">There is no file there, or it cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The file is not a .NET assembly, or holds no DurableGen functions.</exception>
    /// <exception cref="FormatException">The manifest is malformed or of another schema.</exception>
    public static DeploymentManifest Read(string assemblyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader metadata;
        try
        {
            metadata = pe.HasMetadata
                ? pe.GetMetadataReader()
                : throw new InvalidOperationException($"{assemblyPath} is not a .NET assembly (a Native AOT binary has no metadata; read its IL assembly).");
        }
        catch (BadImageFormatException ex)
        {
            throw new InvalidOperationException($"{assemblyPath} is not a .NET assembly: {ex.Message}", ex);
        }

        var assembly = metadata.GetAssemblyDefinition();
        var name = metadata.GetString(assembly.Name);
        foreach (var handle in assembly.GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (!IsAssemblyMetadataAttribute(metadata, attribute))
            {
                continue;
            }

            var blob = metadata.GetBlobReader(attribute.Value);
            if (blob.ReadUInt16() != 1)
            {
                continue; // not a custom attribute blob prolog
            }

            if (blob.ReadSerializedString() == DeploymentManifest.MetadataKey && blob.ReadSerializedString() is { } json)
            {
                return DeploymentManifest.Parse(name, json);
            }
        }

        throw new InvalidOperationException(
            $"{assemblyPath} holds no DurableGen functions: no [DurableWorkflow] or [LambdaFunction] class, or it was built without the DurableGen generator.");
    }

    private static bool IsAssemblyMetadataAttribute(MetadataReader metadata, CustomAttribute attribute)
    {
        if (attribute.Constructor.Kind != HandleKind.MemberReference)
        {
            return false;
        }

        var constructor = metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
        if (constructor.Parent.Kind != HandleKind.TypeReference)
        {
            return false;
        }

        var type = metadata.GetTypeReference((TypeReferenceHandle)constructor.Parent);
        return metadata.StringComparer.Equals(type.Name, "AssemblyMetadataAttribute")
               && metadata.StringComparer.Equals(type.Namespace, "System.Reflection");
    }
}
