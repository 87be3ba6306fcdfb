"""The Blob ingestion pipeline's pure logic: source connection, dataset, target connection, dataflow."""
