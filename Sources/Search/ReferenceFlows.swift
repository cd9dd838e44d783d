import Flows

/// ABC's standard scripts a search result is compared with (the same text as `flows/resyn2.flow`
/// and `flows/compress2rs.flow`, spelled out so that ABC needs no abc.rc). Their runs are
/// labelled once per design and library and do not count against a search's budget.
public enum ReferenceFlows {
    public static let resyn2 = "balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance"
    public static let compress2rs = """
        balance -l; resub -K 6 -l; rewrite -l; resub -K 6 -N 2 -l; refactor -l; resub -K 8 -l; balance -l; \
        resub -K 8 -N 2 -l; rewrite -l; resub -K 10 -l; rewrite -l -z; resub -K 10 -N 2 -l; balance -l; resub -K 12 -l; \
        refactor -l -z; resub -K 12 -N 2 -l; rewrite -l -z; balance -l
        """

    /// (name, flow) of each reference, resyn2 first.
    public static func all() throws(FlowError) -> [(name: String, flow: Flow)] {
        [("resyn2", try Flow.parse(resyn2)), ("compress2rs", try Flow.parse(compress2rs))]
    }
}
