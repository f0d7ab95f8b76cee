using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using TypedBert.Generators.Model;

namespace TypedBert.Generators.Parsing;

/// <summary>
/// The build-time checks of <c>[Label(Description = ...)]</c>: an empty description (TB0006), one that two labels share or one label
/// repeats (TB0007, compared ignoring case and surrounding spaces, as the run time does), and any description on a <c>[Flags]</c> enum,
/// whose multi-label classifier cannot start zero-shot (TB0008).
/// </summary>
internal static class DescriptionChecks
{
    public static void Check(string enumName, bool isFlags, List<(LabelMemberSpec Spec, Location? Location)> members, Location? enumLocation,
        List<DiagnosticInfo> diagnostics)
    {
        var owner = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (member, memberLocation) in members)
        {
            var where = memberLocation ?? enumLocation;
            if (member.Descriptions.Count > 0 && isFlags)
            {
                diagnostics.Add(new DiagnosticInfo(Diagnostics.DescriptionOnFlagsEnum.Id, where, new[] { member.MemberName, enumName }));
                continue;
            }
            foreach (var description in member.Descriptions)
            {
                string key = description.Trim();
                if (key.Length == 0)
                {
                    diagnostics.Add(new DiagnosticInfo(Diagnostics.EmptyLabelDescription.Id, where, new[] { member.MemberName, enumName }));
                    continue;
                }
                if (owner.TryGetValue(key, out var first))
                    diagnostics.Add(new DiagnosticInfo(Diagnostics.DuplicateLabelDescription.Id, where, new[] { first, member.MemberName, enumName, key }));
                else
                    owner[key] = member.MemberName;
            }
        }
    }
}
