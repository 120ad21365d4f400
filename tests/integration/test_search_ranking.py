"""Ranking people rely on: exact spelling first, numbers first, abbreviations both ways."""
from tests.conftest import CORPUS


def upload_text(client, tmp_path, name, text, **fields):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return client.upload(path, **fields).get_json()["id"]


def ids(client, query):
    return [h["id"] for h in client.search(query)["hits"]]


def test_exact_diacritics_rank_above_look_alikes(api, run_jobs, tmp_path):
    client = api("uploader")
    sold = upload_text(client, tmp_path, "a.txt", "Biên bản bán thanh lý tài sản.", title="Tài liệu A")
    table = upload_text(client, tmp_path, "b.txt", "Biên bản bàn giao tài sản.", title="Tài liệu B")
    friend = upload_text(client, tmp_path, "c.txt", "Biên bản bạn đọc góp ý.", title="Tài liệu C")
    run_jobs()
    assert ids(client, "bàn")[0] == table
    assert ids(client, "bán")[0] == sold
    assert ids(client, "bạn")[0] == friend
    assert set(ids(client, "ban")) == {sold, table, friend}  # without diacritics: all


def test_real_two_syllable_words_rank_above_scattered_syllables(api, run_jobs, tmp_path):
    client = api("uploader")
    scattered = upload_text(client, tmp_path, "a.txt",
                            "Quyền của người dân được bảo đảm. Nhân viên tiếp nhận hồ sơ.")
    word = upload_text(client, tmp_path, "b.txt", "Công tác nhân quyền của tỉnh được bảo đảm.")
    run_jobs()
    assert ids(client, "nhân quyền")[:2] == [word, scattered]
    assert ids(client, "nhan quyen")[:2] == [word, scattered]


def test_number_queries_put_the_carrier_first_then_citing_documents(api, run_jobs, tmp_path):
    client = api("uploader")
    citing = upload_text(client, tmp_path, "kh.txt",
                         "Thực hiện Quyết định số 1079/QĐ-TTg ngày 14/9/2022 của Thủ tướng "
                         "Chính phủ, UBND tỉnh ban hành kế hoạch.", title="Kế hoạch triển khai")
    # The decision's own text does not print its number (as in signed PDFs).
    decision = upload_text(client, tmp_path, "qd.txt",
                           "Phê duyệt Đề án truyền thông về quyền con người ở Việt Nam.",
                           title="Quyết định phê duyệt Đề án", number="1079", symbol="QĐ-TTg",
                           doc_type="QD")
    other = upload_text(client, tmp_path, "x.txt", "Kế hoạch số 1080/KH-UBND về quyết định khác.")
    run_jobs()
    for query in ("1079/QĐ-TTg", "1079/qd-ttg", "1079 QD TTg", "QĐ 1079", "Quyết định 1079"):
        found = ids(client, query)
        assert found[:2] == [decision, citing], query
        assert other not in found[:2], query


def test_legal_number_with_year(api, run_jobs):
    client = api("uploader")
    decree = client.upload(CORPUS / "docx" / "nghi_dinh_19_2019_ND_CP.docx", number="19/2019/NĐ-CP",
                           doc_type="ND").get_json()["id"]
    run_jobs()
    assert ids(client, "19/2019/NĐ-CP")[0] == decree
    assert ids(client, "19/2019/nd-cp")[0] == decree


def test_abbreviations_find_long_forms_and_back(api, run_jobs, tmp_path):
    client = api("uploader")
    short = upload_text(client, tmp_path, "a.txt", "UBND tỉnh chỉ đạo Sở TT&TT thực hiện.")
    long = upload_text(client, tmp_path, "b.txt",
                       "Ủy ban nhân dân huyện giao Sở Thông tin và Truyền thông chủ trì.")
    run_jobs()
    assert set(ids(client, "UBND")) == {short, long}
    assert set(ids(client, "ủy ban nhân dân")) == {short, long}
    assert set(ids(client, "TT&TT")) == {short, long}
    assert set(ids(client, "thông tin và truyền thông")) == {short, long}
    assert set(ids(client, "uy ban nhan dan")) == {short, long}
