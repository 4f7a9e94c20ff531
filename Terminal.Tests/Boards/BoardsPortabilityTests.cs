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
using Xunit;

namespace Terminal.Tests.Boards
{
    /// <summary>
    /// A focused check of the boards' portable code (Terminal.Boards*, and the device tests of
    /// Terminal.Tests.Device.Boards) in the compiled assemblies: every framework member its IL names is
    /// in the nanoFramework lists, GPIO/serial/PWM members are in the portable intersection
    /// (portable-*.txt), and there is no generic instantiation and no localloc.
    /// </summary>
    public class BoardsPortabilityTests
    {
        private static readonly Dictionary<short, OperandType> s_operands = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value, o => o.OperandType);

        private static HashSet<string> Lines(Func<string, bool> file)
        {
            string dir = RepoPaths.Of("Terminal.Tests/NanoFramework/Api");
            return Directory.GetFiles(dir, "*.txt").Where(f => file(Path.GetFileName(f)))
                .SelectMany(File.ReadLines)
                .Where(l => l.Length > 2 && l[1] == ':')
                .Select(l => l.Split(' ')[0])
                .ToHashSet(StringComparer.Ordinal);
        }

        private static string DocId(MetadataReader md, EntityHandle type)
        {
            switch (type.Kind)
            {
                case HandleKind.TypeReference:
                    TypeReference tr = md.GetTypeReference((TypeReferenceHandle)type);
                    string name = md.GetString(tr.Name);
                    if (tr.ResolutionScope.Kind == HandleKind.TypeReference)
                    {
                        return DocId(md, (TypeReferenceHandle)tr.ResolutionScope) + "." + name;
                    }
                    string ns = md.GetString(tr.Namespace);
                    return ns.Length == 0 ? name : ns + "." + name;
                case HandleKind.TypeDefinition:
                    TypeDefinition td = md.GetTypeDefinition((TypeDefinitionHandle)type);
                    string tn = md.GetString(td.Name);
                    if (td.GetDeclaringType().IsNil == false)
                    {
                        return DocId(md, td.GetDeclaringType()) + "." + tn;
                    }
                    return md.GetString(td.Namespace) + "." + tn;
                default:
                    return "<typespec>";
            }
        }

        private sealed class Names : ISignatureTypeProvider<string, object?>
        {
            private readonly MetadataReader _md;
            public Names(MetadataReader md) { _md = md; }
            public bool Generic;
            public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
            public string GetByReferenceType(string elementType) => elementType + "@";
            public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) { Generic = true; return genericType + "{" + string.Join(",", typeArguments) + "}"; }
            public string GetGenericMethodParameter(object? genericContext, int index) { Generic = true; return "``" + index; }
            public string GetGenericTypeParameter(object? genericContext, int index) { Generic = true; return "`" + index; }
            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
            public string GetPinnedType(string elementType) => elementType;
            public string GetPointerType(string elementType) => elementType + "*";
            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
            {
                PrimitiveTypeCode.Boolean => "System.Boolean", PrimitiveTypeCode.Byte => "System.Byte", PrimitiveTypeCode.SByte => "System.SByte",
                PrimitiveTypeCode.Char => "System.Char", PrimitiveTypeCode.Int16 => "System.Int16", PrimitiveTypeCode.UInt16 => "System.UInt16",
                PrimitiveTypeCode.Int32 => "System.Int32", PrimitiveTypeCode.UInt32 => "System.UInt32", PrimitiveTypeCode.Int64 => "System.Int64",
                PrimitiveTypeCode.UInt64 => "System.UInt64", PrimitiveTypeCode.Single => "System.Single", PrimitiveTypeCode.Double => "System.Double",
                PrimitiveTypeCode.String => "System.String", PrimitiveTypeCode.Object => "System.Object", PrimitiveTypeCode.IntPtr => "System.IntPtr",
                PrimitiveTypeCode.UIntPtr => "System.UIntPtr", PrimitiveTypeCode.Void => "System.Void", PrimitiveTypeCode.TypedReference => "System.TypedReference",
                _ => typeCode.ToString(),
            };
            public string GetSZArrayType(string elementType) => elementType + "[]";
            public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => DocId(reader, handle);
            public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => DocId(reader, handle);
            public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
                reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
        }

        internal static List<string> Problems(string assemblyPath, string namespacePrefix)
        {
            HashSet<string> nanoFramework = Lines(f => f.StartsWith("nf-", StringComparison.Ordinal));
            HashSet<string> portable = Lines(f => f.StartsWith("portable-", StringComparison.Ordinal));
            List<string> problems = new List<string>();
            using PEReader pe = new PEReader(File.OpenRead(assemblyPath));
            MetadataReader md = pe.GetMetadataReader();
            foreach (TypeDefinitionHandle th in md.TypeDefinitions)
            {
                TypeDefinition type = md.GetTypeDefinition(th);
                TypeDefinitionHandle outer = th;
                while (!md.GetTypeDefinition(outer).GetDeclaringType().IsNil)
                {
                    outer = md.GetTypeDefinition(outer).GetDeclaringType();
                }
                if (!md.GetString(md.GetTypeDefinition(outer).Namespace).StartsWith(namespacePrefix, StringComparison.Ordinal))
                {
                    continue;
                }
                foreach (MethodDefinitionHandle mh in type.GetMethods())
                {
                    MethodDefinition method = md.GetMethodDefinition(mh);
                    if (method.RelativeVirtualAddress == 0)
                    {
                        continue;
                    }
                    string where = DocId(md, th) + "." + md.GetString(method.Name);
                    byte[] il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!;
                    for (int i = 0; i < il.Length;)
                    {
                        short code = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
                        i += il[i] == 0xFE ? 2 : 1;
                        OperandType operand = s_operands[code];
                        if (code == unchecked((short)0xFE0F))
                        {
                            problems.Add(where + ": localloc");
                        }
                        int size = operand switch
                        {
                            OperandType.InlineNone => 0,
                            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                            OperandType.InlineVar => 2,
                            OperandType.InlineI8 or OperandType.InlineR => 8,
                            OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                            _ => 4,
                        };
                        if (operand is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
                        {
                            Check(md, MetadataTokens.EntityHandle(BitConverter.ToInt32(il, i)), where, nanoFramework, portable, problems);
                        }
                        i += size;
                    }
                }
            }
            return problems.Distinct().ToList();
        }

        private static void Check(MetadataReader md, EntityHandle token, string where, HashSet<string> nf, HashSet<string> portable, List<string> problems)
        {
            Names names = new Names(md);
            switch (token.Kind)
            {
                case HandleKind.MethodSpecification:
                    problems.Add(where + ": generic method instantiation");
                    return;
                case HandleKind.TypeSpecification:
                    md.GetTypeSpecification((TypeSpecificationHandle)token).DecodeSignature(names, null);
                    if (names.Generic)
                    {
                        problems.Add(where + ": generic type instantiation");
                    }
                    return;
                case HandleKind.TypeReference:
                    Require("T:" + DocId(md, token), where, nf, portable, problems);
                    return;
                case HandleKind.MemberReference:
                    MemberReference member = md.GetMemberReference((MemberReferenceHandle)token);
                    if (member.Parent.Kind == HandleKind.TypeSpecification)
                    {
                        problems.Add(where + ": member of a generic instantiation " + md.GetString(member.Name));
                        return;
                    }
                    if (member.Parent.Kind != HandleKind.TypeReference)
                    {
                        return;
                    }
                    string parent = DocId(md, member.Parent);
                    string name = md.GetString(member.Name).Replace('.', '#');
                    if (member.GetKind() == MemberReferenceKind.Field)
                    {
                        Require("F:" + parent + "." + name, where, nf, portable, problems);
                        return;
                    }
                    MethodSignature<string> sig = member.DecodeMethodSignature(names, null);
                    string id = "M:" + parent + "." + name + (sig.ParameterTypes.Length == 0 ? "" : "(" + string.Join(",", sig.ParameterTypes) + ")");
                    if (name == "op_Implicit" || name == "op_Explicit")
                    {
                        id += "~" + sig.ReturnType;
                    }
                    // lock lowers to Monitor.Enter(object, ref bool) on .NET and Monitor.Enter(object) on nanoFramework.
                    if (id == "M:System.Threading.Monitor.Enter(System.Object,System.Boolean@)")
                    {
                        id = "M:System.Threading.Monitor.Enter(System.Object)";
                    }
                    // AutoResetEvent.Set/Reset bind to the base EventWaitHandle on .NET, to AutoResetEvent itself on nanoFramework.
                    if (id == "M:System.Threading.EventWaitHandle.Set" || id == "M:System.Threading.EventWaitHandle.Reset")
                    {
                        id = id.Replace("EventWaitHandle", "AutoResetEvent", StringComparison.Ordinal);
                    }
                    Require(id, where, nf, portable, problems);
                    return;
            }
        }

        private static void Require(string id, string where, HashSet<string> nf, HashSet<string> portable, List<string> problems)
        {
            if (id.Substring(2).StartsWith("Terminal.", StringComparison.Ordinal))
            {
                // The project's own portable code, checked where it is defined.
                return;
            }
            bool sharedPackage = id.Contains(":System.Device.Gpio.", StringComparison.Ordinal) || id.Contains(":System.IO.Ports.", StringComparison.Ordinal)
                || id.Contains(":System.Device.Pwm.", StringComparison.Ordinal);
            if (sharedPackage ? !portable.Contains(id) : !nf.Contains(id))
            {
                problems.Add(where + ": " + id + (sharedPackage ? " is not in portable-*.txt" : " is not in the nanoFramework lists"));
            }
        }

        [Fact]
        public void BoardDrivers_UseOnlyNanoFrameworkAndPortableMembers_NoGenericsNoLocalloc()
        {
            List<string> problems = Problems(typeof(Terminal.Boards.IBoard).Assembly.Location, "Terminal.Boards");
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        [Fact]
        public void BoardDeviceTests_AreThemselvesPortable()
        {
            List<string> problems = Problems(typeof(BoardsPortabilityTests).Assembly.Location, "Terminal.Tests.Device.Boards");
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
    }
}
