using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace DurableGen.Architecture.Tests;

/// <summary>A type as metadata names it: the assembly that defines it, its namespace and its (outer+inner) name.</summary>
internal readonly record struct TypeName(string Assembly, string Namespace, string Name)
{
    public string FullName => Namespace.Length == 0 ? Name : Namespace + "." + Name;

    public override string ToString() => $"{FullName} [{Assembly}]";
}

/// <summary>One type of an assembly using another type: <paramref name="User"/> is the top-level type whose
/// signatures, attributes or method bodies name <paramref name="Used"/> (nested and compiler-generated types count for
/// the type they sit in, so a lambda's closure is its method's type).</summary>
internal readonly record struct TypeUse(TypeName User, TypeName Used);

/// <summary>
/// What an assembly's metadata says about its dependencies: the assemblies it references and every type use, read
/// with System.Reflection.Metadata (nothing is loaded or run). Method bodies are scanned too, so a type used only
/// inside a method (a <c>new</c>, a call, a cast, a local) counts.
/// </summary>
internal sealed class AssemblyFacts
{
    private AssemblyFacts(string name, IReadOnlyList<string> references, IReadOnlyList<TypeUse> uses)
    {
        Name = name;
        References = references;
        Uses = uses;
    }

    /// <summary>The assembly's simple name.</summary>
    public string Name { get; }

    /// <summary>The simple names of the assemblies it references.</summary>
    public IReadOnlyList<string> References { get; }

    /// <summary>Every distinct (top-level type, used type) pair.</summary>
    public IReadOnlyList<TypeUse> Uses { get; }

    public static AssemblyFacts Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    public static AssemblyFacts Read(Stream peImage)
    {
        using var pe = new PEReader(peImage);
        var reader = pe.GetMetadataReader();
        var name = reader.GetString(reader.GetAssemblyDefinition().Name);
        var references = reader.AssemblyReferences
            .Select(h => reader.GetString(reader.GetAssemblyReference(h).Name))
            .ToList();
        var uses = new UseCollector(pe, reader, name).Collect();
        return new AssemblyFacts(name, references, uses);
    }

    private sealed class UseCollector : ISignatureTypeProvider<object?, object?>
    {
        private static readonly Dictionary<ushort, OperandType> s_operands = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => (ushort)o.Value, o => o.OperandType);

        private readonly PEReader _pe;
        private readonly MetadataReader _reader;
        private readonly string _assembly;
        private readonly HashSet<TypeUse> _uses = [];
        private TypeName _user;

        public UseCollector(PEReader pe, MetadataReader reader, string assembly)
        {
            _pe = pe;
            _reader = reader;
            _assembly = assembly;
        }

        public List<TypeUse> Collect()
        {
            foreach (var handle in _reader.TypeDefinitions)
            {
                var type = _reader.GetTypeDefinition(handle);
                _user = Outermost(handle);
                if (_user.Name == "<Module>")
                {
                    continue;
                }

                AddEntity(type.BaseType);
                foreach (var i in type.GetInterfaceImplementations())
                {
                    AddEntity(_reader.GetInterfaceImplementation(i).Interface);
                }

                AddGenericConstraints(type.GetGenericParameters());
                AddAttributes(type.GetCustomAttributes());
                foreach (var f in type.GetFields())
                {
                    var field = _reader.GetFieldDefinition(f);
                    field.DecodeSignature(this, null);
                    AddAttributes(field.GetCustomAttributes());
                }

                foreach (var p in type.GetProperties())
                {
                    var property = _reader.GetPropertyDefinition(p);
                    property.DecodeSignature(this, null);
                    AddAttributes(property.GetCustomAttributes());
                }

                foreach (var e in type.GetEvents())
                {
                    AddEntity(_reader.GetEventDefinition(e).Type);
                }

                foreach (var m in type.GetMethods())
                {
                    AddMethod(_reader.GetMethodDefinition(m));
                }
            }

            return [.. _uses];
        }

        private void AddMethod(MethodDefinition method)
        {
            method.DecodeSignature(this, null);
            AddAttributes(method.GetCustomAttributes());
            AddGenericConstraints(method.GetGenericParameters());
            foreach (var p in method.GetParameters())
            {
                AddAttributes(_reader.GetParameter(p).GetCustomAttributes());
            }

            if (method.RelativeVirtualAddress == 0)
            {
                return;
            }

            var body = _pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                _reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null);
            }

            foreach (var region in body.ExceptionRegions)
            {
                AddEntity(region.CatchType);
            }

            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                var code = il.ReadByte();
                ushort op = code == 0xFE ? (ushort)(0xFE00 | il.ReadByte()) : code;
                switch (s_operands[op])
                {
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar:
                        il.ReadByte();
                        break;
                    case OperandType.InlineVar:
                        il.ReadInt16();
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        il.ReadInt64();
                        break;
                    case OperandType.InlineSwitch:
                        var count = il.ReadInt32();
                        for (var i = 0; i < count; i++)
                        {
                            il.ReadInt32();
                        }

                        break;
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineType:
                    case OperandType.InlineTok:
                        AddEntity(MetadataTokens.EntityHandle(il.ReadInt32()));
                        break;
                    default:
                        // InlineBrTarget, InlineI, ShortInlineR, InlineString, InlineSig: a 4-byte operand naming no type.
                        il.ReadInt32();
                        break;
                }
            }
        }

        private void AddGenericConstraints(GenericParameterHandleCollection parameters)
        {
            foreach (var g in parameters)
            {
                foreach (var c in _reader.GetGenericParameter(g).GetConstraints())
                {
                    AddEntity(_reader.GetGenericParameterConstraint(c).Type);
                }
            }
        }

        private void AddAttributes(CustomAttributeHandleCollection attributes)
        {
            foreach (var a in attributes)
            {
                AddEntity(_reader.GetCustomAttribute(a).Constructor);
            }
        }

        private void AddEntity(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    Add(Outermost((TypeDefinitionHandle)handle));
                    break;
                case HandleKind.TypeReference:
                    Add(Name((TypeReferenceHandle)handle));
                    break;
                case HandleKind.TypeSpecification:
                    _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                    break;
                case HandleKind.MemberReference:
                    var member = _reader.GetMemberReference((MemberReferenceHandle)handle);
                    AddEntity(member.Parent);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        member.DecodeMethodSignature(this, null);
                    }
                    else
                    {
                        member.DecodeFieldSignature(this, null);
                    }

                    break;
                case HandleKind.MethodDefinition:
                    Add(Outermost(_reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()));
                    break;
                case HandleKind.FieldDefinition:
                    Add(Outermost(_reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()));
                    break;
                case HandleKind.MethodSpecification:
                    var spec = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    AddEntity(spec.Method);
                    spec.DecodeSignature(this, null);
                    break;
            }
        }

        private void Add(TypeName used)
        {
            if (used != _user)
            {
                _uses.Add(new TypeUse(_user, used));
            }
        }

        private TypeName Outermost(TypeDefinitionHandle handle)
        {
            var type = _reader.GetTypeDefinition(handle);
            var outer = type.GetDeclaringType();
            return outer.IsNil
                ? new TypeName(_assembly, _reader.GetString(type.Namespace), _reader.GetString(type.Name))
                : Outermost(outer);
        }

        private TypeName Name(TypeReferenceHandle handle)
        {
            var type = _reader.GetTypeReference(handle);
            var name = _reader.GetString(type.Name);
            var scope = type.ResolutionScope;
            return scope.Kind switch
            {
                HandleKind.AssemblyReference => new TypeName(
                    _reader.GetString(_reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name),
                    _reader.GetString(type.Namespace), name),
                // A nested type counts as its outermost type, as the types of this assembly do.
                HandleKind.TypeReference => Name((TypeReferenceHandle)scope),
                _ => new TypeName(_assembly, _reader.GetString(type.Namespace), name),
            };
        }

        public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            Add(Outermost(handle));
            return null;
        }

        public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            Add(Name(handle));
            return null;
        }

        public object? GetTypeFromSpecification(MetadataReader reader, object? genericContext,
            TypeSpecificationHandle handle, byte rawTypeKind)
        {
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
            return null;
        }

        public object? GetArrayType(object? elementType, ArrayShape shape) => null;

        public object? GetByReferenceType(object? elementType) => null;

        public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;

        public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;

        public object? GetGenericMethodParameter(object? genericContext, int index) => null;

        public object? GetGenericTypeParameter(object? genericContext, int index) => null;

        public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;

        public object? GetPinnedType(object? elementType) => null;

        public object? GetPointerType(object? elementType) => null;

        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;

        public object? GetSZArrayType(object? elementType) => null;
    }
}
