"""Reviews: the workflow from draft to published, the collective's approvals, and how the
public reads them."""
