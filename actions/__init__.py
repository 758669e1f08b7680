"""Custom actions: a thin dialogue layer over ``tsf_knowledge`` and the lead services."""
